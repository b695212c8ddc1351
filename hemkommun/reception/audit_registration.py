from auditlog.registry import auditlog

from .models import (
    AgreedPlaces,
    ArrivalGroup,
    ArrivalTask,
    ExpectedMember,
    Flat,
    FlatAssignment,
    FurnishingItem,
    MinorPlacement,
    NegotiationRound,
    PlacementAgreement,
    TaskTemplate,
    TaskTemplateItem,
)

# Health flags are special-category data: the log records that they changed, never their text.
auditlog.register(ExpectedMember, mask_fields=["health_flags"])
for model in (
    AgreedPlaces,
    ArrivalGroup,
    ArrivalTask,
    Flat,
    FlatAssignment,
    FurnishingItem,
    MinorPlacement,
    NegotiationRound,
    PlacementAgreement,
    TaskTemplate,
    TaskTemplateItem,
):
    auditlog.register(model)
