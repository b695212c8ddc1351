from auditlog.registry import auditlog

from .models import (
    Aftercare,
    AssessedLanguage,
    Assessment,
    Contact,
    FamilyReunificationNeed,
    IntegrationPlan,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
    Referral,
    ReferralEvent,
    Rule,
    RuleSet,
)

# Writes keep their history. Health notes are special-category data: the log records that they
# changed, never what they said (the log is read by people who may not see health data).
auditlog.register(Assessment, mask_fields=["health_notes"], m2m_fields={"participants"})
auditlog.register(AssessedLanguage)
auditlog.register(Contact)
auditlog.register(IntegrationPlan, m2m_fields={"participants"})
# A health goal's description is health data: masked for every goal, as the field is encrypted
# for every goal (docs/encryption.md).
auditlog.register(PlanGoal, mask_fields=["description"])
for model in (PlanMeasure, PlanResponsibility, PlanReview, PlanExtension, Referral, Rule, RuleSet):
    auditlog.register(model)
# Referral events, family-reunification needs and aftercare are written once by the services.
for model in (ReferralEvent, FamilyReunificationNeed, Aftercare):
    auditlog.register(model)
