"""Compensation in the demo region: the welfare area receives its share for the mainland
municipalities, KST the compensation of its member Jomala; a Närpes family has moved to Vasa;
Närpes has actual costs, one claim paid and one in draft. Costs and claims go through the
services, as staff would enter them; dates are counted from today."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.clients.moves import client_move
from hemkommun.compensation import claims
from hemkommun.compensation.models import CostCategory, PayeeRoute
from hemkommun.organizations.models import Jurisdiction, Organisation

if TYPE_CHECKING:
    from hemkommun.organizations.management.commands.seed_demo import DemoRegion

KST_BASIS = "KST:s grundavtal med medlemskommunerna; ÅFS 2016:2"


class DemoCompensation:
    def __init__(self, region: "DemoRegion") -> None:
        self.today = region.today
        self.users = region.users
        self.organisations = region.organisations

    def load(self) -> None:
        # The Ostrobothnia welfare area serves every mainland municipality of the demo.
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, jurisdiction=Jurisdiction.MAINLAND
        ).update(welfare_area=self.organisations["welfare-ostrobothnia"])
        PayeeRoute.objects.create(
            municipality=self.organisations["170"],
            payee=self.organisations["kst"],
            valid_from=datetime.date(2017, 1, 1),
            legal_source=KST_BASIS,
        )
        self._family_moves_to_vasa()
        self._narpes_costs_and_claims()

    def _family_moves_to_vasa(self) -> None:
        """The first Närpes household registered over a year ago moves to Vasa 2 months ago."""
        moved_on = self.today - datetime.timedelta(days=60)
        household = (
            HouseholdMember.objects.filter(
                client__organisation=self.organisations["545"],
                client__home_municipality_date__lt=moved_on - datetime.timedelta(days=365),
                relation="head",
            )
            .order_by("pk")
            .values_list("household", flat=True)
            .first()
        )
        for client in Client.objects.filter(household_member__household=household):
            client_move(
                by=self.users["coordinator.narpes"],
                client=client,
                municipality=self.organisations["905"],
                moved_on=moved_on,
            )

    def _narpes_costs_and_claims(self) -> None:
        narpes, by = self.organisations["545"], self.users["coordinator.narpes"]
        clients = list(
            Client.objects.filter(organisation=narpes, home_municipality_date__isnull=False).order_by("pk")[
                :4
            ]
        )
        this_year, last_year = self.today.year, self.today.year - 1

        def cost(category, day, amount, client=None, **extra):
            data = {"category": category, "cost_date": day, "amount_eur": Decimal(amount), "client": client}
            return claims.cost_create(by=by, payee=narpes, data=data | extra)

        # Last year's first half, claimed, decided and paid.
        cost(
            CostCategory.INTERPRETING,
            datetime.date(last_year, 2, 14),
            "186.00",
            clients[0],
            invoice_reference=f"Tolkcentralen {last_year}/0211",
            description="Tolkning, integrationsplan",
        )
        cost(
            CostCategory.SOCIAL_ASSISTANCE,
            datetime.date(last_year, 4, 30),
            "642.50",
            clients[1],
            invoice_reference="UTK-4471",
        )
        paid, _assembly = claims.claim_create(
            by=by,
            payee=narpes,
            period_first=datetime.date(last_year, 1, 1),
            period_last=datetime.date(last_year, 6, 30),
        )
        paid = claims.claim_send(by=by, claim=paid, sent_on=datetime.date(last_year, 8, 15))
        paid = claims.claim_decide(
            by=by,
            claim=paid,
            decided_on=datetime.date(last_year, 10, 2),
            decision_reference=f"KEHA/1234/{last_year}",
            accepted_eur=paid.claimed_eur,
        )
        claims.claim_mark_paid(
            by=by, claim=paid, paid_on=datetime.date(last_year, 10, 20), paid_eur=paid.claimed_eur
        )
        # Costs of the autumn and of this year, in a draft; one from the year before last nears its deadline.
        cost(
            CostCategory.QUOTA_PREPARATION,
            datetime.date(last_year, 11, 5),
            "1200.00",
            decision_reference=f"ELY/OSTB/88/{last_year}",
            decision_date=datetime.date(last_year, 10, 1),
            description="Förberedelser inför kvotflyktingfamiljer",
            attachments="Fakturor\nLönelista",
        )
        cost(
            CostCategory.INTERPRETING,
            self._days_ago(90),
            "248.00",
            clients[2],
            invoice_reference=f"Tolkcentralen {this_year}/0302",
        )
        cost(
            CostCategory.SPECIAL_COSTS,
            self._days_ago(30),
            "3400.00",
            clients[3],
            decision_reference=f"KEHA/77/{this_year}",
            decision_date=self._days_ago(45),
            description="Hjälpmedel",
            attachments="Läkarutlåtande\nFaktura",
        )
        cost(
            CostCategory.INTERPRETING,
            datetime.date(last_year - 1, 12, 10),
            "93.00",
            clients[0],
            invoice_reference=f"Tolkcentralen {last_year - 1}/1208",
        )
        claims.claim_create(
            by=by, payee=narpes, period_first=datetime.date(last_year, 7, 1), period_last=self.today
        )

    def _days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)
