from .assessments import AssessedLanguage, Assessment
from .contacts import Contact, ContactTopic
from .deadlines import Deadline, DeadlineStatus
from .followups import Aftercare, FamilyReunificationNeed  # noqa: F401 (exported)
from .notifications import Notification
from .plans import (
    IntegrationPlan,
    Party,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
)
from .referrals import Referral, ReferralEvent
from .rules import ClockStart, ClockStop, Period, Rule, RuleKind, RuleSet

__all__ = [
    "AssessedLanguage",
    "Assessment",
    "ClockStart",
    "ClockStop",
    "Contact",
    "ContactTopic",
    "Deadline",
    "DeadlineStatus",
    "IntegrationPlan",
    "Notification",
    "Party",
    "Period",
    "PlanExtension",
    "PlanGoal",
    "PlanMeasure",
    "PlanResponsibility",
    "PlanReview",
    "Referral",
    "ReferralEvent",
    "Rule",
    "RuleKind",
    "RuleSet",
]
