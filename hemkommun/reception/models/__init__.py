from .agreements import AgreedPlaces, NegotiationRound, PlaceCategory, PlacementAgreement
from .arrivals import ArrivalGroup, ArrivalTask, ExpectedMember, TaskTemplate, TaskTemplateItem
from .housing import Flat, FlatAssignment, FurnishingItem

__all__ = [
    "AgreedPlaces",
    "ArrivalGroup",
    "ArrivalTask",
    "ExpectedMember",
    "Flat",
    "FlatAssignment",
    "FurnishingItem",
    "NegotiationRound",
    "PlaceCategory",
    "PlacementAgreement",
    "TaskTemplate",
    "TaskTemplateItem",
]
