"""What the API tells of arrivals: the municipality's view of an expected family or a move from a
reception centre (its page, reception/arrival_detail.html). The members' health flags are the
welfare area's alone and are never given here."""

from rest_framework import serializers

from hemkommun.reception.models import ArrivalGroup, ArrivalTask, ExpectedMember

from .serializers import CodesSerializer


def _organisation(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class ExpectedMemberSerializer(CodesSerializer):
    languages = serializers.SerializerMethodField(help_text="Language codes")

    class Meta:
        model = ExpectedMember
        fields = ["id", "relation", "birth_year", "sex", "languages", "education", "client"]
        read_only_fields = fields

    def get_languages(self, member) -> list[str]:
        return [code.strip() for code in member.languages.split(",") if code.strip()]


class ArrivalTaskSerializer(CodesSerializer):
    responsible = _organisation()

    class Meta:
        model = ArrivalTask
        fields = [
            "id",
            "title",
            "offset_days",
            "due_on",
            "responsible",
            "health_related",
            "status",
            "done_on",
        ]
        read_only_fields = fields


class ArrivalGroupSerializer(CodesSerializer):
    municipality = _organisation()
    welfare_area = _organisation()
    reception_centre = _organisation(allow_null=True)
    members = ExpectedMemberSerializer(many=True, read_only=True)
    tasks = ArrivalTaskSerializer(many=True, read_only=True)

    class Meta:
        model = ArrivalGroup
        fields = [
            "id",
            "kind",
            "municipality",
            "welfare_area",
            "reference",
            "status",
            "expected_on",
            "arrived_on",
            "permit_granted_on",
            "residence_ground",
            "reception_centre",
            "move_type",
            "placement_requested_on",
            "move_reported_on",
            "family_reunification",
            "notes",
            "members",
            "tasks",
        ]
        read_only_fields = fields
