from .agreements import AgreedPlaces, NegotiationRound, PlaceCategory, PlacementAgreement
from .arrivals import ArrivalGroup, ArrivalKind, ArrivalTask, ExpectedMember, TaskTemplate, TaskTemplateItem
from .housing import Flat, FlatAssignment, FurnishingItem
from .minors import MinorPlacement

__all__ = [
    "AgreedPlaces",
    "ArrivalGroup",
    "ArrivalKind",
    "ArrivalTask",
    "ExpectedMember",
    "Flat",
    "FlatAssignment",
    "FurnishingItem",
    "MinorPlacement",
    "NegotiationRound",
    "PlaceCategory",
    "PlacementAgreement",
    "TaskTemplate",
    "TaskTemplateItem",
]
