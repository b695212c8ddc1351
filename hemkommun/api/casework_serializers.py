"""What the API tells of casework: contacts, assessments, plans and referrals. Codes, not labels;
organisations by their code; children inline. Health data (an assessment's health notes, a health
goal's text) is null for an account the pages would not show it to: the view puts the clients
whose health data the account may see into the context as ``health_client_ids``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hemkommun.casework.models import (
    AssessedLanguage,
    Assessment,
    Contact,
    IntegrationPlan,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
    Referral,
    ReferralEvent,
)
from hemkommun.casework.referral_selectors import OPEN_STATUSES

from .serializers import CodesSerializer

LANGUAGE_HELP = "ISO 639-1 or 639-3 code, or empty"


def _organisation(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _may_see_health(serializer, client_id: int) -> bool:
    return client_id in serializer.context.get("health_client_ids", ())


class ContactSerializer(CodesSerializer):
    organisation = _organisation()
    client = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="Null: anonymous")
    language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)
    interpreter_language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)
    info_language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)
    topics = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "organisation",
            "client",
            "occurred_at",
            "channel",
            "language",
            "age_group",
            "interpreter_used",
            "interpreter_language",
            "duration_minutes",
            "info_material",
            "info_language",
            "topics",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topics(self, contact) -> list[str]:
        return sorted(topic.topic for topic in contact.topics.all())


class AssessedLanguageSerializer(CodesSerializer):
    language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)

    class Meta:
        model = AssessedLanguage
        fields = ["language", "level"]
        read_only_fields = fields


class AssessmentSerializer(CodesSerializer):
    organisation = _organisation()
    participants = _organisation(many=True)
    languages = AssessedLanguageSerializer(many=True, read_only=True)
    health_notes = serializers.SerializerMethodField(
        help_text="Null for an account that may not see the client's health data."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "organisation",
            "status",
            "requested_on",
            "started_on",
            "completed_on",
            "signed_on",
            "multisectoral",
            "participants",
            "education_level",
            "education_years",
            "education_country",
            "education_field",
            "work_history",
            "literacy",
            "digital_skills",
            "family_situation",
            "language_training_need",
            "other_service_needs",
            "health_notes",
            "plan_needed",
            "path",
            "languages",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_health_notes(self, assessment) -> str | None:
        return assessment.health_notes if _may_see_health(self, assessment.client_id) else None


class PlanGoalSerializer(CodesSerializer):
    description = serializers.SerializerMethodField(
        help_text="A health goal's text is null for an account that may not see health data."
    )

    class Meta:
        model = PlanGoal
        fields = ["id", "kind", "description", "target_level"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_description(self, goal) -> str | None:
        if goal.is_health and not _may_see_health(self, goal.plan.client_id):
            return None
        return goal.description


class PlanMeasureSerializer(CodesSerializer):
    provider = _organisation(allow_null=True)

    class Meta:
        model = PlanMeasure
        fields = [
            "id",
            "goal",
            "service",
            "provider",
            "provider_name",
            "responsible",
            "starts_on",
            "ends_on",
            "status",
        ]
        read_only_fields = fields


class PlanResponsibilitySerializer(CodesSerializer):
    class Meta:
        model = PlanResponsibility
        fields = ["party", "description"]
        read_only_fields = fields


class PlanReviewSerializer(CodesSerializer):
    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "notes"]
        read_only_fields = fields


class PlanExtensionSerializer(CodesSerializer):
    class Meta:
        model = PlanExtension
        fields = ["decided_on", "previous_end", "new_end", "reason"]
        read_only_fields = fields


class PlanSerializer(CodesSerializer):
    organisation = _organisation()
    participants = _organisation(many=True)
    goals = PlanGoalSerializer(many=True, read_only=True)
    measures = PlanMeasureSerializer(many=True, read_only=True)
    responsibilities = PlanResponsibilitySerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)
    extensions = PlanExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = IntegrationPlan
        fields = [
            "id",
            "client",
            "organisation",
            "assessment",
            "status",
            "drafted_on",
            "starts_on",
            "ends_on",
            "agreed_on",
            "ended_on",
            "multisectoral",
            "participants",
            "summary",
            "goals",
            "measures",
            "responsibilities",
            "reviews",
            "extensions",
            "created_at",
        ]
        read_only_fields = fields


class ReferralEventSerializer(CodesSerializer):
    organisation = _organisation()

    class Meta:
        model = ReferralEvent
        fields = ["status", "at", "organisation", "note"]
        read_only_fields = fields


class ReferralSerializer(CodesSerializer):
    from_organisation = _organisation()
    to_organisation = _organisation()
    overdue = serializers.SerializerMethodField(help_text="Still unanswered after its due date.")
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "client",
            "kind",
            "from_organisation",
            "to_organisation",
            "sent_on",
            "due_on",
            "overdue",
            "reason",
            "scope",
            "status",
            "rejection_reason",
            "outcome",
            "events",
        ]
        read_only_fields = fields

    def get_overdue(self, referral) -> bool:
        return referral.status in OPEN_STATUSES and referral.due_on < self.context["today"]
