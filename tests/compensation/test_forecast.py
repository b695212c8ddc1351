"""Worked examples of the forecast, computed by hand from the parameter texts (migration 0002):

- mainland municipality 6,503 €/year under 7 (541.92 a month), 1,955 from 7 (162.92);
  Åland municipality 2,300 from 7 (191.67);
- paid from the first home-municipality registration: quota refugees and their families 4 years
  and others 3 when registered before 1.1.2025, 3 and 2 from then on; Åland 4 and 3;
- a month counts when the client is eligible on its first day.
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from hemkommun.clients import services as client_services
from hemkommun.clients.moves import client_move
from hemkommun.compensation.forecast import forecast
from hemkommun.compensation.models import Parameter, PayeeRoute
from hemkommun.compensation.totals import forecast_totals
from hemkommun.organizations.models import Jurisdiction, Organisation, Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
UNDER_7, FROM_7, ALAND_FROM_7 = Decimal("541.92"), Decimal("162.92"), Decimal("191.67")


@pytest.fixture
def aland(db):
    return OrganisationFactory.municipality("478", "Mariehamn", jurisdiction=Jurisdiction.ALAND)


def client_in(municipality, **data):
    data.setdefault("residence_ground", "quota_refugee")
    data.setdefault("birth_year", 1985)
    return make_client(municipality, municipality_of_residence=municipality, **data)


def months_of(payee, first, last, client=None) -> dict[datetime.date, tuple[str, Decimal]]:
    rows = forecast(payee=payee, first=first, last=last)
    return {
        row.month: (row.age_band, row.amount_eur)
        for row in rows
        if client is None or row.client_id == client.pk
    }


def test_a_child_turning_7_mid_period_changes_band_the_month_after_the_birthday(narpes):
    child = client_in(
        narpes, birth_year=2019, birth_month=5, birth_day=15, home_municipality_date=D(2025, 3, 10)
    )
    months = months_of(narpes, D(2025, 1, 1), D(2028, 12, 1), child)
    # Registered 10.3.2025 (new rules, quota: 3 years to 10.3.2028): April 2025 to March 2028.
    assert min(months) == D(2025, 4, 1) and max(months) == D(2028, 3, 1) and len(months) == 36
    # 7 on 15.5.2026: May is still paid as under 7 (under 7 on 1 May), June at the 7-and-over rate.
    assert months[D(2026, 5, 1)] == ("under_7", UNDER_7)
    assert months[D(2026, 6, 1)] == ("7_and_over", FROM_7)
    assert sum(amount for _band, amount in months.values()) == 14 * UNDER_7 + 22 * FROM_7


def test_a_quota_family_registered_before_2025_is_paid_4_years_and_after_3(narpes):
    before = client_in(narpes, home_municipality_date=D(2024, 6, 15))
    after = client_in(narpes, home_municipality_date=D(2025, 2, 1))
    months_before = months_of(narpes, D(2024, 1, 1), D(2029, 12, 1), before)
    months_after = months_of(narpes, D(2024, 1, 1), D(2029, 12, 1), after)
    assert (min(months_before), max(months_before), len(months_before)) == (D(2024, 7, 1), D(2028, 6, 1), 48)
    # Registered on the 1st: that month counts.
    assert (min(months_after), max(months_after), len(months_after)) == (D(2025, 2, 1), D(2028, 1, 1), 36)


def test_a_quota_refugees_family_member_is_paid_as_quota_and_others_as_other_grounds(narpes):
    head = client_in(narpes, home_municipality_date=D(2025, 2, 1))
    spouse = client_in(narpes, residence_ground="family_of_protected", home_municipality_date=D(2025, 2, 1))
    by = UserFactory.with_role(Role.COORDINATOR, narpes)
    household = client_services.household_link(by=by, client=head, relation="head", household=None).household
    client_services.household_link(by=by, client=spouse, relation="spouse", household=household)
    asylum = client_in(narpes, residence_ground="asylum", home_municipality_date=D(2025, 2, 1))
    rows = {row.client_id: row for row in forecast(payee=narpes, first=D(2027, 6, 1), last=D(2027, 6, 1))}
    assert rows[spouse.pk].group == "quota"
    # Others: 2 years from 1.2.2025, so June 2027 is past their period.
    assert asylum.pk not in rows
    asylum_months = months_of(narpes, D(2025, 1, 1), D(2027, 12, 1), asylum)
    assert (min(asylum_months), max(asylum_months), len(asylum_months)) == (D(2025, 2, 1), D(2027, 1, 1), 24)


def test_an_aland_client_is_paid_the_aland_rate_for_the_old_periods(aland):
    person = client_in(aland, residence_ground="asylum", home_municipality_date=D(2025, 1, 15))
    months = months_of(aland, D(2025, 1, 1), D(2028, 12, 1), person)
    assert (min(months), max(months), len(months)) == (D(2025, 2, 1), D(2028, 1, 1), 36)
    assert set(months.values()) == {("7_and_over", ALAND_FROM_7)}


def test_a_ground_that_does_not_qualify_brings_nothing(narpes):
    client_in(narpes, residence_ground="work", home_municipality_date=D(2025, 1, 1))
    client_in(narpes, residence_ground="quota_refugee", home_municipality_date=None)
    assert not list(forecast(payee=narpes, first=D(2025, 1, 1), last=D(2026, 12, 1)))


def test_temporary_protection_counts_from_march_2023(narpes):
    person = client_in(narpes, residence_ground="temporary_protection", home_municipality_date=D(2022, 11, 1))
    months = months_of(narpes, D(2022, 1, 1), D(2025, 12, 1), person)
    # Old rules for a 2022 registration: 3 years to 1.11.2025; paid from 1.3.2023 only.
    assert (min(months), max(months)) == (D(2023, 3, 1), D(2025, 10, 1))


def test_an_uncertain_birth_date_is_read_as_the_parameter_says(narpes):
    child = client_in(
        narpes, birth_year=2019, birth_month=None, birth_day=None, home_municipality_date=D(2025, 3, 10)
    )
    # Earliest reading (the default): 7 on 1.1.2026, so January 2026 is already 7 and over.
    assert months_of(narpes, D(2025, 12, 1), D(2026, 1, 1), child) == {
        D(2025, 12, 1): ("under_7", UNDER_7),
        D(2026, 1, 1): ("7_and_over", FROM_7),
    }
    Parameter.objects.filter(key="uncertain_birth_date", jurisdiction="mainland").update(value=1)
    # Latest reading: 7 on 31.12.2026, so December 2026 is still under 7.
    assert months_of(narpes, D(2026, 12, 1), D(2027, 1, 1), child) == {
        D(2026, 12, 1): ("under_7", UNDER_7),
        D(2027, 1, 1): ("7_and_over", FROM_7),
    }


def test_a_route_sends_the_compensation_to_the_body_that_does_the_work(aland):
    kst = OrganisationFactory(code="kst", kind=Organisation.Kind.JOINT_AUTHORITY, name_fi="KST")
    person = client_in(aland, residence_ground="asylum", home_municipality_date=D(2024, 1, 1))
    PayeeRoute.objects.create(municipality=aland, payee=kst, valid_from=D(2025, 1, 1))
    to_municipality = months_of(aland, D(2024, 11, 1), D(2025, 2, 1), person)
    to_kst = months_of(kst, D(2024, 11, 1), D(2025, 2, 1), person)
    assert sorted(to_municipality) == [D(2024, 11, 1), D(2024, 12, 1)]
    assert sorted(to_kst) == [D(2025, 1, 1), D(2025, 2, 1)]


def test_a_client_moving_between_municipalities_is_paid_to_each_for_its_months(narpes, vasa):
    person = client_in(narpes, home_municipality_date=D(2025, 3, 10))
    by = UserFactory.with_role(Role.COORDINATOR, narpes)
    with time_machine.travel(D(2026, 11, 23), tick=False):
        client_move(by=by, client=person, municipality=vasa, moved_on=D(2026, 9, 15))
    # Quota, registered 10.3.2025: April 2025 to March 2028, 36 months in all. In Närpes on
    # 1 September 2026, in Vasa from 1 October: 18 months each, none lost and none twice.
    in_narpes = months_of(narpes, D(2025, 1, 1), D(2028, 12, 1), person)
    in_vasa = months_of(vasa, D(2025, 1, 1), D(2028, 12, 1), person)
    assert (min(in_narpes), max(in_narpes), len(in_narpes)) == (D(2025, 4, 1), D(2026, 9, 1), 18)
    assert (min(in_vasa), max(in_vasa), len(in_vasa)) == (D(2026, 10, 1), D(2028, 3, 1), 18)
    # The fast totals of the pages read the moves as the rows do.
    assert forecast_totals(payee=vasa, first=D(2025, 1, 1), last=D(2028, 12, 1)).total == 18 * FROM_7
    assert forecast_totals(payee=narpes, first=D(2025, 1, 1), last=D(2028, 12, 1)).total == 18 * FROM_7


def test_a_move_from_aland_to_the_mainland_applies_each_jurisdictions_rules(aland, narpes):
    person = client_in(aland, residence_ground="asylum", home_municipality_date=D(2025, 2, 1))
    by = UserFactory.with_role(Role.COORDINATOR, aland)
    with time_machine.travel(D(2026, 11, 23), tick=False):
        client_move(by=by, client=person, municipality=narpes, moved_on=D(2026, 2, 1))
    # On Åland, other grounds are paid 3 years (to 1.2.2028) at 2,300 €; on the mainland 2 years
    # from a 2025 registration (to 1.2.2027) at 1,955 €. Registered on the 1st: the month counts.
    on_aland = months_of(aland, D(2025, 1, 1), D(2028, 12, 1), person)
    on_mainland = months_of(narpes, D(2025, 1, 1), D(2028, 12, 1), person)
    assert (min(on_aland), max(on_aland), len(on_aland)) == (D(2025, 2, 1), D(2026, 1, 1), 12)
    assert set(on_aland.values()) == {("7_and_over", ALAND_FROM_7)}
    assert (min(on_mainland), max(on_mainland), len(on_mainland)) == (D(2026, 2, 1), D(2027, 1, 1), 12)
    assert set(on_mainland.values()) == {("7_and_over", FROM_7)}


def test_the_command_prints_one_row_per_client_and_month(narpes):
    person = client_in(
        narpes,
        birth_year=2020,
        birth_month=8,
        birth_day=1,
        home_municipality_date=D(2025, 2, 1),
        external_id="ext-7",
    )
    out = StringIO()
    call_command(
        "compensation_forecast",
        "--payee",
        "545",
        "--from",
        "2025-02",
        "--to",
        "2025-03",
        "--format",
        "csv",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "external_id,client_id,month,age_band,group,amount_eur,rule"
    assert lines[1] == (
        f"ext-7,{person.pk},2025-02,under_7,quota,541.92,"
        "mainland quota 3y (rule of 2025-01-01); registered 2025-02-01; rate of 2023-01-01"
    )
    assert len(lines) == 3


@pytest.mark.parametrize(
    "arguments",
    [
        ["--payee", "nobody", "--from", "2025-01", "--to", "2025-02"],
        ["--payee", "545", "--from", "2025-13", "--to", "2025-02"],
        ["--payee", "545", "--from", "2025-03", "--to", "2025-02"],
        ["--payee", "545", "--from", "0001-01", "--to", "2025-02"],
    ],
)
def test_the_command_refuses_bad_arguments_with_a_message(narpes, arguments):
    with pytest.raises(CommandError):
        call_command("compensation_forecast", *arguments, stdout=StringIO())
