"""The limits of actual costs, from the parameter texts (migration 0002):

- special costs are paid for at most 10 years: a client registered 10.3.2016 may have them until
  9.3.2026, not from 10.3.2026 on;
- support for former unaccompanied minors is paid up to the age of 25 before 2025 and 23 from
  1.1.2025 on the mainland; 25 on Åland. A client born 2002 (year only, read as 1 January) turned
  23 on 1.1.2025 and 25 on 1.1.2027.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemkommun.clients.models import EarlierResidence
from hemkommun.clients.moves import client_move
from hemkommun.compensation import claims, limits
from hemkommun.compensation.models import CostCategory
from hemkommun.organizations.models import Jurisdiction, Role

from ..factories import OrganisationFactory, UserFactory, make_client, make_share

D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-15 10:00 +0200", tick=False):
        yield


def record(payee, category, client, first_day, **data):
    by = UserFactory.with_role(Role.COORDINATOR, payee)
    values = {
        "client": client,
        "category": category,
        "cost_date": first_day,
        "amount_eur": Decimal("500.00"),
        "decision_reference": "KEHA/1/2026",
        "decision_date": D(2016, 1, 1),
        **data,
    }
    return claims.cost_create(by=by, payee=payee, data=values)


def refused_code(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.error_dict["cost_date"][0].code


def test_special_costs_are_paid_for_10_years_from_the_first_registration(narpes):
    person = make_client(narpes, residence_ground="quota_refugee", home_municipality_date=D(2016, 3, 10))
    assert record(narpes, CostCategory.SPECIAL_COSTS, person, D(2026, 3, 9)).pk
    code = refused_code(lambda: record(narpes, CostCategory.SPECIAL_COSTS, person, D(2026, 3, 10)))
    assert code == "special_costs_too_late"
    # The first day the cost covers counts, not the invoice date.
    assert record(narpes, CostCategory.SPECIAL_COSTS, person, D(2026, 4, 1), period_from=D(2026, 2, 1)).pk


def test_former_minors_are_supported_to_23_on_the_mainland_from_2025(narpes):
    person = make_client(narpes, birth_year=2002, unaccompanied_minor=True, residence_ground="asylum")
    # Before 2025 the limit was 25: a cost of December 2024 is within it.
    assert record(narpes, CostCategory.UNACCOMPANIED_MINORS, person, D(2024, 12, 31)).pk
    code = refused_code(lambda: record(narpes, CostCategory.UNACCOMPANIED_MINORS, person, D(2025, 1, 1)))
    assert code == "former_minor_too_old"


def test_former_minors_are_supported_to_25_on_aland(db):
    mariehamn = OrganisationFactory.municipality("478", "Mariehamn", jurisdiction=Jurisdiction.ALAND)
    person = make_client(mariehamn, birth_year=2002, unaccompanied_minor=True, residence_ground="asylum")
    assert record(mariehamn, CostCategory.UNACCOMPANIED_MINORS, person, D(2026, 11, 1)).pk


def test_a_known_birthday_is_used_as_it_is(narpes):
    person = make_client(narpes, birth_year=2003, birth_month=6, birth_day=20, residence_ground="asylum")
    assert record(narpes, CostCategory.UNACCOMPANIED_MINORS, person, D(2026, 6, 19)).pk
    code = refused_code(lambda: record(narpes, CostCategory.UNACCOMPANIED_MINORS, person, D(2026, 6, 20)))
    assert code == "former_minor_too_old"


def test_a_municipality_may_record_costs_of_a_client_who_has_lived_there(narpes, vasa):
    korsnas = OrganisationFactory.municipality("280", "Korsnäs")
    person = make_client(narpes, residence_ground="asylum", home_municipality_date=D(2025, 1, 10))
    client_move(
        by=UserFactory.with_role(Role.COORDINATOR, narpes),
        client=person,
        municipality=vasa,
        moved_on=D(2026, 5, 1),
    )
    # Vasa, where the client lives now, sees the record through a share; so does Korsnäs.
    make_share(person, vasa)
    make_share(person, korsnas)
    assert record(vasa, CostCategory.INTERPRETING, person, D(2026, 6, 1)).client == person
    with pytest.raises(ValidationError) as error:
        record(korsnas, CostCategory.INTERPRETING, person, D(2026, 6, 1))
    assert error.value.error_dict["client"][0].code == "no_such_client"
    # Had the client lived in Korsnäs before Närpes, Korsnäs could claim for that time.
    EarlierResidence.objects.create(client=person, municipality=korsnas, moved_out_on=D(2025, 1, 10))
    assert record(korsnas, CostCategory.INTERPRETING, person, D(2024, 12, 1)).client == person


def test_a_claim_warns_of_special_costs_not_more_than_a_years_compensation(client, narpes):
    # 2025 on the mainland: one year's compensation (7 and over) is 1,955 €. One client's two
    # special costs of 2025 add up to 1,955.00 (not more: warned); another's 1,955.01 is enough.
    small = make_client(narpes, family_name="Small", home_municipality_date=D(2024, 1, 10))
    enough = make_client(narpes, family_name="Enough", home_municipality_date=D(2024, 1, 10))
    record(narpes, CostCategory.SPECIAL_COSTS, small, D(2025, 3, 1), amount_eur=Decimal("955.00"))
    record(narpes, CostCategory.SPECIAL_COSTS, small, D(2025, 9, 1), amount_eur=Decimal("1000.00"))
    record(narpes, CostCategory.SPECIAL_COSTS, enough, D(2025, 3, 1), amount_eur=Decimal("1955.01"))
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    claim, _assembly = claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2025, 1, 1), period_last=D(2025, 12, 31)
    )
    warned = limits.small_special_costs(claim.costs.all(), "mainland")
    assert [(w.client_id, w.year, w.amount, w.threshold) for w in warned] == [
        (small.pk, 2025, Decimal("1955.00"), Decimal("1955.00"))
    ]
    client.force_login(coordinator)
    page = client.get(reverse("compensation:claim_detail", args=[claim.pk])).content.decode()
    warning = page[page.index('id="small-special-costs"') :]
    warning = warning[: warning.index("</div>")]
    assert "Small" in warning and "Enough" not in warning and "1955,00 €" in warning  # Finnish decimals
