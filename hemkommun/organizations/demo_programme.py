"""The integration programme in the demo region: seed 002, the programme of Kristinestad, Kaskö,
Närpes, Korsnäs and Malax for 2023–2025, imported as a coordinator would, with each council's
approval and the statuses of some actions in 2023 and 2024."""

import datetime
from typing import TYPE_CHECKING

from hemkommun.programme import services
from hemkommun.programme.models import Action
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


class DemoProgramme:
    def __init__(self, region: "DemoRegion") -> None:
        self.organisations = region.organisations
        self.coordinator = region.users["coordinator.narpes"]

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
