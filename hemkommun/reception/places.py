"""Places agreed against places used: the one place that counts the places a municipality has used.

Agreed: the sum of AgreedPlaces of the municipality's placement agreements for the year and
category (overlapping agreements add up).

Used, by year and category:
- quota: persons (ExpectedMember) of ARRIVED quota groups, by the year of ``arrived_on``;
- reception_centre: persons of ARRIVED moves from reception centres, by the year of ``arrived_on``;
- unaccompanied_minor: clients placed as minors in the municipality, in the year their first
  placement there started (a move from a family group home to supported housing is one place).

A person placed as an unaccompanied minor in the municipality is counted as a minor only, never
again as a quota refugee or a move from a reception centre, whatever the years: one person takes
one place.

Three aggregate queries and one for the names, however many municipalities, years and arrivals.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Sum
from django.db.models.functions import ExtractYear

from hemkommun.organizations.models import Organisation

from .models import AgreedPlaces, ArrivalGroup, ExpectedMember, MinorPlacement, PlaceCategory

Key = tuple[int, int, str]  # municipality id, year, category


@dataclass(frozen=True)
class PlacesRow:
    municipality: Organisation
    year: int
    category: str
    agreed: int
    used: int

    @property
    def category_label(self) -> str:
        return str(PlaceCategory(self.category).label)

    @property
    def remaining(self) -> int:
        """Places agreed but not yet used; negative where more were received than agreed."""
        return self.agreed - self.used


def places_table(*, municipality_ids: Iterable[int], years: Iterable[int]) -> list[PlacesRow]:
    """Every municipality × year × category, zeros included, in name, year and category order."""
    municipality_ids, years = sorted(set(municipality_ids)), sorted(set(years))
    if not municipality_ids or not years:
        return []
    agreed = _agreed(municipality_ids, years)
    used = {**_used_by_arrivals(municipality_ids, years), **_used_by_minors(municipality_ids, years)}
    municipalities = Organisation.objects.filter(pk__in=municipality_ids).order_by("name_fi")
    return [
        PlacesRow(
            municipality=municipality,
            year=year,
            category=category,
            agreed=agreed.get((municipality.pk, year, category), 0),
            used=used.get((municipality.pk, year, category), 0),
        )
        for municipality in municipalities
        for year in years
        for category in PlaceCategory.values
    ]


def used_places(*, municipality_id: int, years: Iterable[int]) -> dict[tuple[int, str], int]:
    """Places used in one municipality by (year, category), for an agreement's own page."""
    rows = places_table(municipality_ids=[municipality_id], years=years)
    return {(row.year, row.category): row.used for row in rows}


def _agreed(municipality_ids: list[int], years: list[int]) -> dict[Key, int]:
    rows = (
        AgreedPlaces.objects.filter(agreement__municipality_id__in=municipality_ids, year__in=years)
        .values_list("agreement__municipality_id", "year", "category")
        .annotate(total=Sum("places"))
        .order_by()
    )
    return {(municipality, year, category): total for municipality, year, category, total in rows}


def _used_by_arrivals(municipality_ids: list[int], years: list[int]) -> dict[Key, int]:
    # The arrival kinds share their codes with the place categories (quota, reception_centre).
    placed_as_minor = MinorPlacement.objects.filter(
        client_id=OuterRef("client_id"), municipality_id=OuterRef("group__municipality_id")
    )
    rows = (
        ExpectedMember.objects.filter(
            group__status=ArrivalGroup.Status.ARRIVED,
            group__municipality_id__in=municipality_ids,
            group__arrived_on__year__in=years,
        )
        .annotate(arrival_year=ExtractYear("group__arrived_on"))
        .filter(~Exists(placed_as_minor))
        .values_list("group__municipality_id", "arrival_year", "group__kind")
        .annotate(persons=Count("id"))
        .order_by()
    )
    return {(municipality, year, kind): persons for municipality, year, kind, persons in rows}


def _used_by_minors(municipality_ids: list[int], years: list[int]) -> dict[Key, int]:
    # Minors placed in a municipality are few (tens a year): their first placements are counted here.
    first_placements = (
        MinorPlacement.objects.filter(municipality_id__in=municipality_ids)
        .values_list("municipality_id", "client_id")
        .annotate(first=Min("starts_on"))
        .order_by()
    )
    minor = PlaceCategory.UNACCOMPANIED_MINORS.value
    counts = Counter((municipality, first.year, minor) for municipality, _client, first in first_placements)
    return {key: persons for key, persons in counts.items() if key[1] in years}
