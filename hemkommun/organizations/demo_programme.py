"""The integration programme in the demo region: seed 002, the programme of Kristinestad, Kaskö,
Närpes, Korsnäs and Malax for 2023–2025, imported as a coordinator would, with each council's
approval, the statuses of some actions in 2023 and 2024, indicators for its follow-up measures,
and the Närpes activities they count (seed 003's weekly morning coffee among them)."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from hemkommun.clients.models import Client
from hemkommun.programme import activities, services
from hemkommun.programme.models import Action, Activity, Indicator
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.samples import SEED_002

if TYPE_CHECKING:
    from hemkommun.organizations.management.commands.seed_demo import DemoRegion

OWNERS = ("287", "231", "545", "280", "475")
# (municipality, approval date, decision reference)
APPROVALS = (
    ("287", datetime.date(2023, 3, 27), "KF § 18/2023"),
    ("231", datetime.date(2023, 3, 20), "KF § 12/2023"),
    ("545", datetime.date(2023, 3, 23), "KF § 21/2023"),
    ("280", datetime.date(2023, 4, 4), "KF § 15/2023"),
    ("475", datetime.date(2023, 3, 28), "KF § 19/2023"),
)
# (year, goal of the action, status, comment)
STATUSES = (
    (2023, "Koordinering av integration", "done", "Integrationskoordinator anställd i Närpes för regionen."),
    (2023, "Samarbete med andra kommuner", "continuous", "Fyra gemensamma möten under året."),
    (
        2024,
        "Koordinering av integration",
        "continuous",
        "Samordningen fortsätter; resurserna granskade i budgeten.",
    ),
    (2024, "Samarbete med andra kommuner", "continuous", "Tre gemensamma möten."),
    (2024, "Social samhörighet", "in_progress", "Morgonkaffe varje vecka i Närpes bibliotek."),
    (2024, "Vänpersoner", "postponed", "Rekryteringen flyttad till 2025."),
)


# (follow-up text the indicator follows, its name, the figure it counts; "" for one typed in)
INDICATORS = (
    ("Antalet integrationsplaner per år", "Integrationsplaner per år", Indicator.Figure.PLANS),
    ("Antal mötesplatser per år", "Mötesplatser per år", Indicator.Figure.MEETING_PLACES),
    ("Antal vänpersoner per år", "Deltagare i vänpersonsverksamheten", Indicator.Figure.FRIEND_PROGRAMME),
    (
        "Antal ordnade aktiviteter och deltagare",
        "Deltagare i aktiviteter",
        Indicator.Figure.ACTIVITY_PARTICIPANTS,
    ),
    ("TEA-viisari", "TEA-viisari, kultur och fritid (%)", ""),
)
TEA_VALUES = {2022: Decimal("61"), 2023: Decimal("64"), 2024: Decimal("66")}
# (name, kind, organiser, languages, schedule, weekly sessions so far)
ACTIVITIES = (
    (
        "Morgonkaffe för äldre",
        Activity.Kind.RECURRING,
        "Integrationstjänsterna",
        "ru, uk, sv",
        "Tisdagar 9–11",
        12,
    ),
    ("Språkcafé", Activity.Kind.LANGUAGE_CAFE, "Närpes bibliotek", "sv, ar, uk", "Torsdagar 17–19", 8),
    (
        "Mötesplats Kulturhuset",
        Activity.Kind.MEETING_PLACE,
        "Närpes kulturhus",
        "sv, fi",
        "Onsdagar 14–17",
        4,
    ),
    (
        "Vänpersoner",
        Activity.Kind.FRIEND_PROGRAMME,
        "Röda Korset, Närpes avdelning",
        "sv",
        "Enligt överenskommelse",
        3,
    ),
)


class DemoProgramme:
    def __init__(self, region: "DemoRegion") -> None:
        self.organisations = region.organisations
        self.coordinator = region.users["coordinator.narpes"]
        self.today = region.today

    def load(self) -> None:
        programme = services.programme_import(
            by=self.coordinator,
            owners=[self.organisations[code] for code in OWNERS],
            period=services.Period(2023, 2025),
            parsed=parse_file(SEED_002.read_bytes(), SEED_002.name),
            title="Integrationsprogram Kristinestad, Kaskö, Närpes, Korsnäs, Malax",
        )
        owners = {owner.municipality.code: owner for owner in programme.owners.select_related("municipality")}
        for code, approved_on, reference in APPROVALS:
            services.approval_set(
                by=self.coordinator,
                owner=owners[code],
                approved_by="Kommunfullmäktige",
                approved_on=approved_on,
                decision_reference=reference,
            )
        for year, goal, status, comment in STATUSES:
            action = Action.objects.filter(theme__programme=programme, goal=goal).order_by("pk").first()
            services.statuses_set(
                by=self.coordinator, programme=programme, year=year, entries=[(action, status, comment)]
            )
        self._indicators(programme)
        self._activities()

    def _indicators(self, programme) -> None:
        for follow_up, name, figure in INDICATORS:
            actions = Action.objects.filter(theme__programme=programme, follow_up__contains=follow_up)
            kind = Indicator.Kind.COMPUTED if figure else Indicator.Kind.TYPED
            indicator = services.indicator_save(
                by=self.coordinator, programme=programme, name=name, kind=kind, figure=figure, actions=actions
            )
            if not figure:
                for year, value in TEA_VALUES.items():
                    services.indicator_value_set(
                        by=self.coordinator, indicator=indicator, year=year, value=value
                    )

    def _activities(self) -> None:
        narpes = self.organisations["545"]
        participants = list(Client.objects.filter(organisation=narpes).order_by("pk")[:6])
        for index, (name, kind, organiser, languages, schedule, weeks) in enumerate(ACTIVITIES):
            started = self.today - datetime.timedelta(weeks=weeks + 1)
            data = {
                "name": name,
                "kind": kind,
                "organiser": organiser,
                "languages": languages,
                "schedule": schedule,
            }
            activity = activities.activity_save(
                by=self.coordinator, municipality=narpes, data={**data, "starts_on": started}
            )
            for week in range(weeks):
                activities.session_record(
                    by=self.coordinator,
                    activity=activity,
                    held_on=started + datetime.timedelta(weeks=week + 1),
                    client_ids=[client.pk for client in participants[index : index + 2]],
                    anonymous=[("65+", "F", "ru", 3 + week % 3), ("30-64", "M", "uk", 1 + week % 2)],
                )
