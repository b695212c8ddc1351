"""Reception in the demo region: placement agreements with the ELY centre, quota families on
their way to Närpes and Vasa, a move from the Vasa reception centre, flats and their furnishing,
and the Närpes unaccompanied minors in a family group home. Everything goes through the
reception services, as staff would enter it; dates are counted from today."""

import datetime
from typing import TYPE_CHECKING

from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.reception import agreement_services
from hemkommun.reception.models import ArrivalKind, FurnishingItem, MinorPlacement, PlaceCategory
from hemkommun.reception.services import arrivals, housing, minors

if TYPE_CHECKING:
    from hemkommun.organizations.management.commands.seed_demo import DemoRegion

# Places agreed per year: (municipality code, coordinator, quota, reception centres, minors).
AGREEMENTS = (
    ("545", "coordinator.narpes", 25, 10, 4),
    ("905", "coordinator.vasa", 60, 30, 12),
)
FAMILY_OF_FIVE = [
    {"relation": "head", "birth_year": 1986, "sex": "M", "languages": "ar", "education": "Carpenter"},
    {"relation": "spouse", "birth_year": 1990, "sex": "F", "languages": "ar", "education": "Primary school"},
    {"relation": "child", "birth_year": 2013, "sex": "F", "languages": "ar"},
    {"relation": "child", "birth_year": 2016, "sex": "M", "languages": "ar"},
    {"relation": "child", "birth_year": 2022, "sex": "F", "languages": "ar"},
]
COUPLE = [
    {"relation": "head", "birth_year": 1979, "sex": "F", "languages": "prs, fa", "education": "Nurse"},
    {"relation": "child", "birth_year": 2008, "sex": "M", "languages": "prs"},
]
FURNISHING = (
    ("Beds", 5),
    ("Dining table and chairs", 1),
    ("Sofa", 1),
    ("Curtains", 6),
    ("Kitchen utensils", 1),
)


class DemoReception:
    def __init__(self, region: "DemoRegion") -> None:
        self.today = region.today
        self.users = region.users
        self.organisations = region.organisations

    def load(self) -> None:
        agreements = {code: self._agreement(code, user, *places) for code, user, *places in AGREEMENTS}
        narpes, coordinator = self.organisations["545"], self.users["coordinator.narpes"]
        family = self._quota(narpes, coordinator, "UM-2026-0412", 24, FAMILY_OF_FIVE)
        soon = self._quota(narpes, coordinator, "UM-2026-0398", 6, COUPLE)
        self._health_flags(family)
        self._flats(narpes, coordinator, family)
        self._give_task(soon, coordinator)
        self._arrived(narpes, coordinator)
        self._move(self.organisations["905"], self.users["coordinator.vasa"])
        self._minors(agreements["545"], coordinator)

    def _day(self, days: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days)

    def _agreement(self, code: str, username: str, quota: int, centres: int, minors_places: int):
        by = self.users[username]
        first_year = self.today.year - 1
        agreement = agreement_services.agreement_create(
            by=by,
            municipality=self.organisations[code],
            state_centre=self.organisations["ely-ostrobothnia"],
            starts_on=datetime.date(first_year, 1, 1),
            ends_on=datetime.date(first_year + 2, 12, 31),
            decision_reference=f"VN/{first_year}/{code}",
            welfare_area=self.organisations["welfare-ostrobothnia"],
            welfare_consulted_on=datetime.date(first_year - 1, 11, 14),
            consultation_notes="Välfärdsområdet ordnar hälsoundersökningar inom två veckor efter ankomsten.",
        )
        for year in range(first_year, first_year + 3):
            for category, places in (
                (PlaceCategory.QUOTA_REFUGEES, quota),
                (PlaceCategory.RECEPTION_CENTRES, centres),
                (PlaceCategory.UNACCOMPANIED_MINORS, minors_places),
            ):
                agreement_services.places_set(
                    by=by, agreement=agreement, year=year, category=category, places=places
                )
        agreement_services.round_add(
            by=by,
            agreement=agreement,
            year=self.today.year,
            held_on=datetime.date(self.today.year - 1, 10, 2),
            outcome="Platserna för kvotflyktingar oförändrade; fler platser för ensamkommande vid behov.",
        )
        return agreement

    def _quota(self, municipality, by, reference: str, in_days: int, members: list[dict]):
        return arrivals.arrival_create(
            by=by,
            municipality=municipality,
            welfare_area=self.organisations["welfare-ostrobothnia"],
            reference=reference,
            expected_on=self._day(in_days),
            permit_granted_on=self._day(-60),
            members=members,
        )

    def _health_flags(self, family) -> None:
        """The welfare area records what the country of origin passed on."""
        social_worker = self.users["socialworker.welfare"]
        head, *_others, youngest = family.members.all()
        arrivals.health_flags_set(by=social_worker, member=head, health_flags="Diabetes typ 2, insulin.")
        arrivals.health_flags_set(
            by=social_worker, member=youngest, health_flags="Vaccinationer ofullständiga."
        )
        first_health_task = family.tasks.filter(health_related=True).first()
        arrivals.task_assign(by=social_worker, task=first_health_task, user=social_worker)

    def _flats(self, municipality, by, family) -> None:
        flats = [
            housing.flat_create(
                by=by,
                municipality=municipality,
                data={
                    "street_address": address,
                    "postal_code": "64200",
                    "post_office": "Närpes",
                    "rooms": rooms,
                    "size_m2": size,
                    "rent_eur": rent,
                    "landlord": "Närpes Hyresbostäder Ab",
                },
            )
            for address, rooms, size, rent in (
                ("Västra Vallgatan 8 B 12", 4, 84, 790),
                ("Kyrkvägen 3 A 2", 2, 52, 520),
                ("Strandgatan 14", 3, 71, 660),
            )
        ]
        for number, (item, quantity) in enumerate(FURNISHING):
            state = FurnishingItem.State.IN_PLACE if number < 2 else FurnishingItem.State.ORDERED
            housing.furnishing_add(by=by, flat=flats[0], item=item, quantity=quantity, state=state)
        housing.flat_assign(by=by, flat=flats[0], group=family, starts_on=self._day(20))
        for task in family.tasks.filter(offset_days__lte=-42, health_related=False):
            arrivals.task_set_status(by=by, task=task, status="done", done_on=self._day(-14))

    def _give_task(self, group, by) -> None:
        """A task in the coordinator's worklist."""
        task = group.tasks.filter(offset_days=0).first()
        arrivals.task_assign(by=by, task=task, user=by)

    def _arrived(self, municipality, by) -> None:
        """A family that came three weeks ago: its members are clients, its first tasks done."""
        group = self._quota(municipality, by, "UM-2026-0311", -21, COUPLE)
        members = list(group.members.all())
        people = {
            members[0].pk: {"family_name": "Ahmadi", "given_names": "Zahra", "native_language": "prs"},
            members[1].pk: {"family_name": "Ahmadi", "given_names": "Farid", "native_language": "prs"},
        }
        arrivals.arrival_convert(by=by, group=group, arrived_on=self._day(-21), people=people)
        for task in group.tasks.filter(due_on__lt=self._day(-7), health_related=False):
            arrivals.task_set_status(by=by, task=task, status="done", done_on=task.due_on)

    def _move(self, municipality, by) -> None:
        arrivals.arrival_create(
            by=by,
            municipality=municipality,
            welfare_area=self.organisations["welfare-ostrobothnia"],
            reference="VOK-VAS-2026-117",
            expected_on=self._day(30),
            permit_granted_on=self._day(-25),
            members=[{"relation": "head", "birth_year": 1994, "sex": "M", "languages": "so"}],
            kind=ArrivalKind.RECEPTION_CENTRE,
            move={
                "reception_centre": self.organisations["reception-vasa"],
                "move_type": "assisted",
                "placement_requested_on": self._day(-5),
                "residence_ground": "subsidiary_protection",
                "family_reunification": "Hustru och två barn i Mogadishu; ansökan om familjeåterförening väntar.",
            },
        )

    def _minors(self, agreement, by) -> None:
        """The Närpes minors who came alone (under 18 and nobody's child in a household here)
        live in a family group home under the agreement's places for minors."""
        children = HouseholdMember.objects.filter(relation="child").values("client_id")
        minors_alone = (
            Client.objects.filter(
                organisation=agreement.municipality,
                birth_year__gt=self.today.year - 18,
                client_since__isnull=False,
            )
            .exclude(pk__in=children)
            .order_by("pk")
        )
        for client in minors_alone:
            minors.placement_create(
                by=by,
                client=client,
                agreement=agreement,
                kind=MinorPlacement.Kind.FAMILY_GROUP_HOME,
                unit_name="Familjegrupphemmet Solrosen",
                starts_on=max(client.client_since, agreement.starts_on),
                representative="Advokat Lena Ström",
            )
