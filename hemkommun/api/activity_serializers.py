"""What the API tells of activities: each with its sessions, the named attendances as client ids
and the anonymous counts (age group, gender, language), which identify nobody."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hemkommun.programme.models import Activity, AnonymousAttendance, Session

from .serializers import CodesSerializer


class AnonymousAttendanceSerializer(CodesSerializer):
    language = serializers.CharField(read_only=True, help_text="ISO 639-1 or 639-3 code, or empty")

    class Meta:
        model = AnonymousAttendance
        fields = ["age_group", "gender", "language", "count"]
        read_only_fields = fields


class SessionSerializer(CodesSerializer):
    clients = serializers.SerializerMethodField(help_text="The ids of the named clients who came.")
    anonymous = AnonymousAttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "held_on", "note", "clients", "anonymous"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_clients(self, session) -> list[int]:
        return sorted(attendance.client_id for attendance in session.attendances.all())


class ActivitySerializer(CodesSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    languages = serializers.SerializerMethodField(help_text="Language codes")
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "municipality",
            "name",
            "kind",
            "organiser",
            "partners",
            "languages",
            "target_group",
            "schedule",
            "starts_on",
            "ends_on",
            "description",
            "sessions",
        ]
        read_only_fields = fields

    def get_languages(self, activity) -> list[str]:
        return activity.language_codes
