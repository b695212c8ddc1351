"""Actual costs and cost claims: the claim deadline from the parameter, the warnings, the claim's
states, the pages per role, bad input, and the .xlsx and PDF opened and read back.

Worked examples of the deadline, from the parameter text (migration 0002: "A claim is lost 2 years
after the end of the year the cost arose"): a cost of 5.3.2024 may be claimed until 31.12.2026;
on 15.11.2026 (the frozen day of these tests) that is 46 days away, within the 90 days warned of;
a cost of 2023 was lost on 31.12.2025; a cost of 2025 may be claimed until 31.12.2027.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from hemkommun.compensation import claims
from hemkommun.compensation.models import Claim, CostCategory, CostEntry, Parameter
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Jurisdiction, Role

from ..factories import UserFactory, make_client

D = datetime.date
TODAY = D(2026, 11, 15)
MARKUP = "<b>x</b>"
FORMULA = '=HYPERLINK("http://example.com","x")'
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-15 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def reporting(narpes):
    return UserFactory.with_role(Role.REPORTING, narpes, username="reporting.narpes")


@pytest.fixture
def person(narpes, coordinator):
    return make_client(narpes, by=coordinator, family_name="Haddad", given_names="Rami")


def cost(payee, by, **data):
    """A cost recorded through the service; interpreting on 5.3.2024 for 100 € unless told."""
    values = {
        "client": None,
        "category": CostCategory.INTERPRETING,
        "cost_date": D(2024, 3, 5),
        "period_from": None,
        "period_until": None,
        "amount_eur": Decimal("100.00"),
        "description": "",
        "invoice_reference": "",
        "decision_reference": "",
        "decision_date": None,
        "attachments": "",
        **data,
    }
    return claims.cost_create(by=by, payee=payee, data=values)


def draft(payee, by, first=D(2024, 1, 1), last=D(2024, 12, 31)) -> Claim:
    return claims.claim_create(by=by, payee=payee, period_first=first, period_last=last)[0]


def codes(excinfo) -> set[str]:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def fields(excinfo) -> set[str]:
    return set(excinfo.value.error_dict)


# --- the deadline --------------------------------------------------------------------------------


def test_the_deadline_is_the_end_of_the_year_plus_the_parameters_years(db):
    deadlines = claims.Deadlines()
    assert deadlines.of(Jurisdiction.MAINLAND, D(2024, 3, 5)) == D(2026, 12, 31)
    assert deadlines.of(Jurisdiction.MAINLAND, D(2024, 12, 31)) == D(2026, 12, 31)
    assert deadlines.of(Jurisdiction.MAINLAND, D(2025, 1, 1)) == D(2027, 12, 31)
    assert deadlines.of(Jurisdiction.ALAND, D(2023, 6, 1)) == D(2025, 12, 31)
    # The parameter starts on 1.9.2011: before it no deadline is known.
    assert deadlines.of(Jurisdiction.MAINLAND, D(2011, 8, 31)) is None


def test_a_changed_parameter_changes_the_deadline_of_costs_from_its_start(db):
    Parameter.objects.create(
        jurisdiction=Jurisdiction.MAINLAND,
        key="claim_deadline_years",
        qualifier="",
        valid_from=D(2025, 7, 1),
        value=Decimal(3),
        legal_source="test",
    )
    deadlines = claims.Deadlines()
    assert deadlines.of(Jurisdiction.MAINLAND, D(2025, 6, 30)) == D(2027, 12, 31)
    assert deadlines.of(Jurisdiction.MAINLAND, D(2025, 7, 1)) == D(2028, 12, 31)
    assert deadlines.of(Jurisdiction.ALAND, D(2025, 7, 1)) == D(2027, 12, 31)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (TODAY, TODAY + datetime.timedelta(days=90)),
        (datetime.date.min, TODAY - datetime.timedelta(days=1)),
        (D(2027, 12, 31), D(2028, 12, 30)),
        (D(2028, 1, 1), D(2030, 12, 31)),
        (D(2026, 12, 31), D(2026, 12, 31)),
    ],
)
def test_the_filter_on_cost_dates_agrees_with_the_deadline_of_each_cost(narpes, coordinator, first, last):
    # Two parameter rows for the mainland: 2 years until 30.6.2025, then 3 years.
    Parameter.objects.filter(key="claim_deadline_years", jurisdiction=Jurisdiction.MAINLAND).update(
        valid_until=D(2025, 6, 30)
    )
    Parameter.objects.create(
        jurisdiction=Jurisdiction.MAINLAND,
        key="claim_deadline_years",
        valid_from=D(2025, 7, 1),
        value=Decimal(3),
        legal_source="test",
    )
    days = [
        D(year, month, day)
        for year in range(2010, 2027)
        for month, day in ((1, 1), (6, 30), (7, 1), (12, 31))
    ]
    CostEntry.objects.bulk_create(
        CostEntry(payee=narpes, category="interpreting", cost_date=day, amount_eur=1, created_by=coordinator)
        for day in days
        if day <= TODAY
    )
    deadlines = claims.Deadlines()
    found = set(
        CostEntry.objects.filter(deadlines.cost_date_q(Jurisdiction.MAINLAND, first, last)).values_list(
            "cost_date", flat=True
        )
    )
    expected = {
        day
        for day in days
        if day <= TODAY
        and (deadline := deadlines.of(Jurisdiction.MAINLAND, day))
        and first <= deadline <= last
    }
    assert found == expected


# --- costs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["-5.00", "0.00"])
def test_an_amount_must_be_more_than_zero(narpes, coordinator, amount):
    with pytest.raises(ValidationError) as excinfo:
        cost(narpes, coordinator, amount_eur=Decimal(amount))
    assert codes(excinfo) == {"amount_not_positive"} and not CostEntry.objects.exists()


@pytest.mark.parametrize("category", ["special_costs", "quota_preparation", "other_special"])
def test_costs_paid_by_decision_need_the_decision(narpes, coordinator, category):
    with pytest.raises(ValidationError) as excinfo:
        cost(narpes, coordinator, category=category)
    assert fields(excinfo) == {"decision_reference", "decision_date"} and not CostEntry.objects.exists()
    made = cost(
        narpes,
        coordinator,
        category=category,
        decision_reference="VARELY/12/2024",
        decision_date=D(2024, 2, 1),
    )
    assert made.decision_reference == "VARELY/12/2024"


def test_dates_are_checked(narpes, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        cost(
            narpes,
            coordinator,
            cost_date=D(2026, 11, 16),
            period_from=D(2024, 5, 1),
            period_until=D(2024, 4, 1),
            decision_date=D(2027, 1, 1),
        )
    assert codes(excinfo) == {"cost_date_range", "cost_period", "decision_date_future"}


def test_a_cost_names_only_a_client_of_the_payee_the_user_sees(narpes, vasa, coordinator, person):
    vasa_person = make_client(vasa, family_name="Other")
    with pytest.raises(ValidationError) as excinfo:
        cost(narpes, coordinator, client=vasa_person)
    assert codes(excinfo) == {"no_such_client"}
    # A client of Närpes (the coordinator sees them) is not a client of Vasa for Vasa's costs.
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    with pytest.raises(ValidationError):
        cost(vasa, vasa_coordinator, client=person)
    assert cost(narpes, coordinator, client=person).client == person
    # A client living in the payee is its client too, if the user sees them.
    living_here = make_client(vasa, municipality_of_residence=narpes)
    with pytest.raises(ValidationError):  # held by Vasa: not visible to a Närpes coordinator
        cost(narpes, coordinator, client=living_here)
    both = UserFactory.with_role(Role.COORDINATOR, vasa, username="both")
    UserFactory.with_role(Role.COORDINATOR, narpes, username="both")
    assert cost(narpes, both, client=living_here).client == living_here


def test_reporting_staff_write_nothing(narpes, reporting, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        cost(narpes, reporting)
    assert codes(excinfo) == {"claims_forbidden"}
    claim = draft(narpes, coordinator)
    with pytest.raises(ValidationError):
        claims.claim_send(by=reporting, claim=claim, sent_on=TODAY)
    assert not CostEntry.objects.exists() and Claim.objects.get().status == "draft"


# --- claims --------------------------------------------------------------------------------------


def test_a_draft_takes_the_periods_unclaimed_costs_still_in_time(narpes, vasa, coordinator):
    in_time = cost(narpes, coordinator, cost_date=D(2024, 3, 5))
    late = cost(narpes, coordinator, cost_date=D(2023, 12, 31), amount_eur=Decimal("50"))
    outside = cost(narpes, coordinator, cost_date=D(2025, 1, 2))
    vasa_cost = cost(vasa, UserFactory.with_role(Role.COORDINATOR, vasa), cost_date=D(2024, 3, 5))
    claim, assembly = claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2023, 1, 1), period_last=D(2024, 12, 31)
    )
    assert assembly == claims.Assembly(added=1, past_deadline=1)
    assert list(claim.costs.all()) == [in_time]
    # Another draft of the same period finds nothing left.
    assert claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2024, 1, 1), period_last=D(2024, 12, 31)
    )[1] == claims.Assembly(added=0, past_deadline=0)
    for other in (late, outside, vasa_cost):
        other.refresh_from_db()
        assert other.claim is None


def test_a_cost_past_its_deadline_is_refused_with_the_date(narpes, coordinator):
    late = cost(narpes, coordinator, cost_date=D(2023, 5, 1))
    claim = draft(narpes, coordinator, D(2024, 1, 1), D(2024, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_add_cost(by=coordinator, claim=claim, cost=late)
    assert codes(excinfo) == {"past_deadline"}
    assert "31.12.2025" in excinfo.value.messages[0]
    late.refresh_from_db()
    assert late.claim is None


def test_a_claim_is_not_sent_with_a_cost_whose_deadline_passed_meanwhile(narpes, coordinator):
    cost(narpes, coordinator, cost_date=D(2024, 3, 5))
    claim = draft(narpes, coordinator)
    with time_machine.travel("2027-01-05 10:00 +0200", tick=False):
        with pytest.raises(ValidationError) as excinfo:
            claims.claim_send(by=coordinator, claim=claim, sent_on=D(2027, 1, 5))
        assert codes(excinfo) == {"past_deadline"}
        # Sent on the last day (recorded later) it was in time.
        assert claims.claim_send(by=coordinator, claim=claim, sent_on=D(2026, 12, 31)).status == "sent"


def test_the_states_of_a_claim_and_its_sums(narpes, coordinator):
    cost(narpes, coordinator, amount_eur=Decimal("300.00"))
    cost(narpes, coordinator, category="social_assistance", amount_eur=Decimal("200.50"))
    claim = draft(narpes, coordinator)
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_decide(
            by=coordinator, claim=claim, decided_on=TODAY, decision_reference="x", accepted_eur=Decimal(1)
        )
    assert codes(excinfo) == {"claim_state"}
    claim = claims.claim_send(by=coordinator, claim=claim, sent_on=D(2026, 11, 1))
    assert (claim.status, claim.claimed_eur) == ("sent", Decimal("500.50"))
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_send(by=coordinator, claim=claim, sent_on=TODAY)
    assert codes(excinfo) == {"claim_state"}
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_mark_paid(by=coordinator, claim=claim, paid_on=TODAY, paid_eur=Decimal(1))
    assert codes(excinfo) == {"claim_state"}
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_decide(
            by=coordinator,
            claim=claim,
            decided_on=D(2026, 10, 31),
            decision_reference="",
            accepted_eur=Decimal("500.51"),
        )
    assert fields(excinfo) == {"decided_on", "decision_reference", "accepted_eur"}
    claim = claims.claim_decide(
        by=coordinator,
        claim=claim,
        decided_on=D(2026, 11, 10),
        decision_reference="KEHA/123/2026",
        accepted_eur=Decimal("400.00"),
        decision_note="Social assistance partly not eligible.",
    )
    assert (claim.status, claim.accepted_eur, claim.rejected_eur) == (
        "partly_rejected",
        Decimal("400.00"),
        Decimal("100.50"),
    )
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_mark_paid(
            by=coordinator, claim=claim, paid_on=D(2026, 11, 9), paid_eur=Decimal("400.01")
        )
    assert fields(excinfo) == {"paid_on", "paid_eur"}
    claim = claims.claim_mark_paid(by=coordinator, claim=claim, paid_on=TODAY, paid_eur=Decimal("400.00"))
    assert (claim.status, claim.paid_eur) == ("paid", Decimal("400.00"))
    # Every change of state is in the write log, with who made it.
    entries = LogEntry.objects.get_for_object(claim).order_by("timestamp", "pk")
    statuses = [e.changes_dict["status"][1] for e in entries if "status" in e.changes_dict]
    assert statuses == ["draft", "sent", "partly_rejected", "paid"]
    assert {entry.actor for entry in entries} == {coordinator}


def test_all_accepted_is_decided_and_nothing_accepted_is_not_paid(narpes, coordinator):
    cost(narpes, coordinator, amount_eur=Decimal("80.00"))
    claim = claims.claim_send(by=coordinator, claim=draft(narpes, coordinator), sent_on=TODAY)
    decided = claims.claim_decide(
        by=coordinator, claim=claim, decided_on=TODAY, decision_reference="K/1", accepted_eur=Decimal("80.00")
    )
    assert (decided.status, decided.rejected_eur) == ("decided", Decimal("0.00"))
    cost(narpes, coordinator, cost_date=D(2025, 2, 1), amount_eur=Decimal("10.00"))
    other = claims.claim_send(
        by=coordinator, claim=draft(narpes, coordinator, D(2025, 1, 1), D(2025, 12, 31)), sent_on=TODAY
    )
    rejected = claims.claim_decide(
        by=coordinator, claim=other, decided_on=TODAY, decision_reference="K/2", accepted_eur=Decimal(0)
    )
    assert rejected.status == "partly_rejected"
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_mark_paid(by=coordinator, claim=rejected, paid_on=TODAY, paid_eur=Decimal(1))
    assert codes(excinfo) == {"nothing_accepted"}


def test_only_a_draft_changes_its_costs(narpes, coordinator):
    first = cost(narpes, coordinator)
    claim = draft(narpes, coordinator)
    claims.claim_remove_cost(by=coordinator, claim=claim, cost=first)
    assert not claim.costs.exists()
    claims.claim_add_cost(by=coordinator, claim=claim, cost=first)
    with pytest.raises(ValidationError) as excinfo:
        claims.cost_delete(by=coordinator, cost=first)
    assert codes(excinfo) == {"cost_in_claim"}
    # A cost in a draft may still be corrected.
    claims.cost_update(by=coordinator, cost=first, data={"amount_eur": Decimal("120.00")})
    claims.claim_send(by=coordinator, claim=claim, sent_on=TODAY)
    later = cost(narpes, coordinator, cost_date=D(2024, 6, 1))
    for attempt in (
        lambda: claims.claim_add_cost(by=coordinator, claim=claim, cost=later),
        lambda: claims.claim_remove_cost(by=coordinator, claim=claim, cost=first),
        lambda: claims.claim_collect(by=coordinator, claim=claim),
    ):
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert codes(excinfo) == {"claim_state"}
    with pytest.raises(ValidationError) as excinfo:
        claims.cost_update(by=coordinator, cost=first, data={"amount_eur": Decimal("1.00")})
    assert codes(excinfo) == {"cost_claimed"}
    first.refresh_from_db()
    assert first.amount_eur == Decimal("120.00") and Claim.objects.get().claimed_eur == Decimal("120.00")


def test_a_claim_sends_nothing_empty(narpes, coordinator):
    claim = draft(narpes, coordinator)
    with pytest.raises(ValidationError) as excinfo:
        claims.claim_send(by=coordinator, claim=claim, sent_on=TODAY)
    assert codes(excinfo) == {"claim_empty"}


def test_warnings_list_costs_not_yet_claimed_whose_deadline_is_near(narpes, coordinator):
    near_free = cost(narpes, coordinator, cost_date=D(2024, 3, 5))
    near_in_draft = cost(narpes, coordinator, cost_date=D(2024, 4, 5))
    near_sent = cost(narpes, coordinator, cost_date=D(2024, 5, 5))
    cost(narpes, coordinator, cost_date=D(2025, 3, 5))  # until 31.12.2027
    cost(narpes, coordinator, cost_date=D(2023, 3, 5))  # lost on 31.12.2025
    sent = draft(narpes, coordinator, D(2024, 5, 1), D(2024, 5, 31))
    claims.claim_send(by=coordinator, claim=sent, sent_on=TODAY)
    draft(narpes, coordinator, D(2024, 4, 1), D(2024, 4, 30))
    warnings = claims.deadline_warnings(payee=narpes, deadlines=claims.Deadlines(), today=TODAY)
    assert list(warnings["near"]) == [near_free, near_in_draft]
    assert warnings["passed"] == 1
    assert near_sent not in warnings["near"]
    # Six weeks earlier the deadline of 31.12.2026 was more than 90 days away.
    early = claims.deadline_warnings(payee=narpes, deadlines=claims.Deadlines(), today=D(2026, 9, 30))
    assert not early["near"].exists()


# --- pages ---------------------------------------------------------------------------------------


def form_data(**data) -> dict:
    values = {
        "payee": "",
        "client": "",
        "category": "interpreting",
        "cost_date": "2024-03-05",
        "period_from": "",
        "period_until": "",
        "amount_eur": "100.00",
        "description": "",
        "invoice_reference": "",
        "decision_reference": "",
        "decision_date": "",
        "attachments": "",
    }
    return {**values, **{key: str(value) for key, value in data.items()}}


def test_a_coordinator_records_a_cost_and_sees_it_with_the_warning(client, narpes, coordinator, person):
    client.force_login(coordinator)
    response = client.post(
        reverse("compensation:cost_create"),
        form_data(
            payee=narpes.pk, client=person.pk, invoice_reference="INV-77", attachments="Invoice INV-77"
        ),
    )
    assert response.status_code == 302
    made = CostEntry.objects.get()
    assert (made.client, made.payee, made.created_by) == (person, narpes, coordinator)
    page = client.get(reverse("compensation:costs"), {"payee": narpes.pk})
    assert [row["cost"] for row in page.context["rows"]] == [made]
    assert [row["cost"] for row in page.context["near"]] == [made]
    content = page.content.decode()
    assert person.display_name in content and 'id="deadline-warnings"' in content
    assert ReadEvent.objects.filter(user=coordinator, client=person, action="list").exists()
    with translation.override("fi"):
        assert translation.gettext("Record a cost") in content


def test_bad_input_on_the_page_gets_messages_and_writes_nothing(client, narpes, coordinator):
    client.force_login(coordinator)
    url = reverse("compensation:cost_create")
    negative = client.post(url, form_data(payee=narpes.pk, amount_eur="-10"))
    assert "amount_eur" in negative.context["form"].errors
    special = client.post(url, form_data(payee=narpes.pk, category="special_costs", description=MARKUP))
    errors = special.context["form"].errors
    assert {"decision_reference", "decision_date"} <= set(errors)
    # What was typed stays in the form, inert.
    assert "&lt;b&gt;x&lt;/b&gt;" in special.content.decode() and MARKUP not in special.content.decode()
    nonsense = client.post(url, form_data(payee=narpes.pk, amount_eur="abc", cost_date="2024-02-31"))
    assert {"amount_eur", "cost_date"} <= set(nonsense.context["form"].errors)
    assert not CostEntry.objects.exists()


def test_the_list_filters_by_kind_claim_and_deadline(client, narpes, coordinator):
    free = cost(narpes, coordinator, cost_date=D(2024, 3, 5))
    assistance = cost(narpes, coordinator, category="social_assistance", cost_date=D(2025, 3, 5))
    in_draft = cost(narpes, coordinator, cost_date=D(2024, 7, 1))
    sent_cost = cost(narpes, coordinator, cost_date=D(2024, 8, 1))
    claims.claim_send(
        by=coordinator, claim=draft(narpes, coordinator, D(2024, 8, 1), D(2024, 8, 31)), sent_on=TODAY
    )
    draft(narpes, coordinator, D(2024, 7, 1), D(2024, 7, 31))
    client.force_login(coordinator)

    def listed(**query):
        response = client.get(reverse("compensation:costs"), {"payee": narpes.pk, **query})
        return {row["cost"] for row in response.context["rows"]}

    assert listed() == {free, assistance, in_draft, sent_cost}
    assert listed(category="social_assistance") == {assistance}
    assert listed(claim_state="none") == {free, assistance}
    assert listed(claim_state="draft") == {in_draft}
    assert listed(claim_state="sent") == {sent_cost}
    assert listed(near_deadline="on") == {free, in_draft}
    assert listed(near_deadline="on", claim_state="none") == {free}


def test_editing_a_cost_names_its_client_in_the_read_log_and_an_unclaimed_cost_can_go(
    client, narpes, coordinator, person
):
    made = cost(narpes, coordinator, client=person)
    client.force_login(coordinator)
    url = reverse("compensation:cost_edit", args=[made.pk])
    page = client.get(url)
    assert person.display_name in page.content.decode()
    assert ReadEvent.objects.filter(user=coordinator, client=person, action="detail").count() == 1
    # The client stays although only the amount changes.
    response = client.post(url, form_data(client=person.pk, amount_eur="75.25", description="x" * 4001))
    assert "description" in response.context["form"].errors
    assert client.post(url, form_data(client=person.pk, amount_eur="75.25")).status_code == 302
    made.refresh_from_db()
    assert (made.amount_eur, made.client) == (Decimal("75.25"), person)
    assert client.post(reverse("compensation:cost_delete", args=[made.pk])).status_code == 302
    assert not CostEntry.objects.exists()


def test_a_cost_in_a_sent_claim_is_shown_but_not_changed(client, narpes, coordinator):
    made = cost(narpes, coordinator)
    claims.claim_send(by=coordinator, claim=draft(narpes, coordinator), sent_on=TODAY)
    client.force_login(coordinator)
    url = reverse("compensation:cost_edit", args=[made.pk])
    assert client.get(url).context["editable"] is False
    response = client.post(url, form_data(amount_eur="1.00"))
    assert response.context["form"].errors
    made.refresh_from_db()
    assert made.amount_eur == Decimal("100.00")


def test_a_claim_made_on_the_pages_goes_through_its_states(client, narpes, coordinator):
    made = cost(narpes, coordinator, amount_eur=Decimal("250.00"))
    late = cost(narpes, coordinator, cost_date=D(2023, 6, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("compensation:claim_create"),
        {"payee": narpes.pk, "period_first": "2023-01-01", "period_last": "2024-12-31"},
        follow=True,
    )
    claim = Claim.objects.get()
    assert list(claim.costs.all()) == [made]
    assert len(list(response.context["messages"])) == 3  # created, 1 added, 1 left out
    detail = reverse("compensation:claim_detail", args=[claim.pk])
    refused = client.post(reverse("compensation:claim_add_cost", args=[claim.pk]), {"add-cost": late.pk})
    assert "cost" in refused.context["forms"]["add"].errors
    assert "31.12.2025" in str(refused.context["forms"]["add"].errors["cost"])
    client.post(reverse("compensation:claim_send", args=[claim.pk]), {"sent_on": "2026-11-02"})
    claim.refresh_from_db()
    assert claim.status == "sent"
    client.post(
        reverse("compensation:claim_decide", args=[claim.pk]),
        {"decided_on": "2026-11-10", "decision_reference": "KEHA/9", "accepted_eur": "200.00"},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rejected_eur) == ("partly_rejected", Decimal("50.00"))
    client.post(
        reverse("compensation:claim_pay", args=[claim.pk]), {"paid_on": "2026-11-14", "paid_eur": "200"}
    )
    page = client.get(detail)
    assert page.context["claim"].status == "paid"
    assert [change["status"] for change in page.context["history"]] == [
        str(label)
        for label in (
            Claim.Status.DRAFT.label,
            Claim.Status.SENT.label,
            Claim.Status.PARTLY_REJECTED.label,
            Claim.Status.PAID.label,
        )
    ]
    # A step out of turn is refused with a message and changes nothing.
    again = client.post(
        reverse("compensation:claim_send", args=[claim.pk]), {"sent_on": "2026-11-14"}, follow=True
    )
    assert again.status_code == 200 and Claim.objects.get().status == "paid"


def test_reporting_staff_read_and_write_nothing(client, narpes, coordinator, reporting, person):
    made = cost(narpes, coordinator, client=person)
    claim = draft(narpes, coordinator)
    client.force_login(reporting)
    page = client.get(reverse("compensation:costs"))
    assert page.status_code == 200 and page.context["may_write"] is False
    # Reporting sees figures, not people: the record number, no name, nothing in the read log.
    assert person.display_name not in page.content.decode()
    assert not ReadEvent.objects.filter(user=reporting, action="list").exists()
    assert client.get(reverse("compensation:claim_detail", args=[claim.pk])).context["forms"] == {}
    assert client.get(reverse("compensation:claim_xlsx", args=[claim.pk])).status_code == 200
    for url, data in [
        (reverse("compensation:cost_create"), form_data(payee=narpes.pk)),
        (reverse("compensation:cost_edit", args=[made.pk]), form_data(amount_eur="5")),
        (reverse("compensation:cost_delete", args=[made.pk]), {}),
        (
            reverse("compensation:claim_create"),
            {"payee": narpes.pk, "period_first": "2024-01-01", "period_last": "2024-12-31"},
        ),
        (reverse("compensation:claim_send", args=[claim.pk]), {"sent_on": "2026-11-15"}),
        (reverse("compensation:claim_collect", args=[claim.pk]), {}),
        (reverse("compensation:claim_remove_cost", args=[claim.pk, made.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("compensation:cost_create")).status_code == 403
    shown = client.get(reverse("compensation:cost_edit", args=[made.pk]))
    assert shown.status_code == 200 and shown.context["editable"] is False
    assert person.display_name not in shown.content.decode()
    made.refresh_from_db()
    assert (made.amount_eur, made.claim) == (Decimal("100.00"), claim)
    assert Claim.objects.count() == 1 and Claim.objects.get().status == "draft"


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.CASE_WORKER, Role.DATA_PROTECTION_OFFICER])
def test_roles_without_compensation_find_nothing(client, narpes, coordinator, role):
    made = cost(narpes, coordinator)
    claim = draft(narpes, coordinator)
    client.force_login(UserFactory.with_role(role, narpes))
    for name, args in [
        ("costs", []),
        ("cost_create", []),
        ("cost_edit", [made.pk]),
        ("claims", []),
        ("claim_create", []),
        ("claim_detail", [claim.pk]),
        ("claim_xlsx", [claim.pk]),
        ("claim_pdf", [claim.pk]),
    ]:
        assert client.get(reverse(f"compensation:{name}", args=args)).status_code == 404, name
    assert (
        client.post(
            reverse("compensation:claim_send", args=[claim.pk]), {"sent_on": "2026-11-15"}
        ).status_code
        == 404
    )


def test_another_municipalitys_coordinator_gets_no_record(client, narpes, vasa, coordinator, person):
    made = cost(narpes, coordinator, client=person)
    claim = draft(narpes, coordinator)
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    own = draft(vasa, vasa_coordinator)
    client.force_login(vasa_coordinator)
    for name, args in [
        ("cost_edit", [made.pk]),
        ("claim_detail", [claim.pk]),
        ("claim_xlsx", [claim.pk]),
        ("claim_pdf", [claim.pk]),
    ]:
        assert client.get(reverse(f"compensation:{name}", args=args)).status_code == 404, name
    assert (
        client.post(
            reverse("compensation:claim_send", args=[claim.pk]), {"sent_on": "2026-11-15"}
        ).status_code
        == 404
    )
    assert client.post(reverse("compensation:cost_delete", args=[made.pk])).status_code == 404
    # Närpes' ids in Vasa's own forms: not one of the choices, never a record.
    added = client.post(reverse("compensation:claim_add_cost", args=[own.pk]), {"add-cost": made.pk})
    assert "cost" in added.context["forms"]["add"].errors
    assert client.post(reverse("compensation:claim_remove_cost", args=[own.pk, made.pk])).status_code == 404
    created = client.post(reverse("compensation:cost_create"), form_data(payee=narpes.pk))
    assert "payee" in created.context["form"].errors
    named = client.post(reverse("compensation:cost_create"), form_data(payee=vasa.pk, client=person.pk))
    assert "client" in named.context["form"].errors and person.display_name not in named.content.decode()
    listed = client.get(reverse("compensation:costs"), {"payee": narpes.pk})
    assert listed.context["payee"] == vasa and listed.context["rows"] == []
    assert client.get(reverse("compensation:claims"), {"payee": narpes.pk}).context["claims"] == [own]
    made.refresh_from_db()
    assert made.claim == claim and CostEntry.objects.count() == 1
    assert not ReadEvent.objects.filter(user=vasa_coordinator).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, narpes, coordinator):
    claim = draft(narpes, coordinator)
    for url in (
        reverse("compensation:costs"),
        reverse("compensation:claims"),
        reverse("compensation:claim_detail", args=[claim.pk]),
        reverse("compensation:claim_pdf", args=[claim.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


# --- exports -------------------------------------------------------------------------------------


@pytest.fixture
def full_claim(narpes, coordinator, person):
    cost(
        narpes,
        coordinator,
        client=person,
        amount_eur=Decimal("120.00"),
        description=MARKUP,
        invoice_reference="TULKKI-1",
        attachments="Invoice TULKKI-1\nInterpreting log",
    )
    cost(
        narpes,
        coordinator,
        client=person,
        amount_eur=Decimal("80.50"),
        description=FORMULA,
        attachments="Invoice TULKKI-2",
    )
    cost(
        narpes,
        coordinator,
        category="quota_preparation",
        amount_eur=Decimal("1000.00"),
        decision_reference="VARELY/5/2024",
        decision_date=D(2024, 1, 15),
        attachments="Decision VARELY/5/2024\nInterpreting log",
    )
    return draft(narpes, coordinator)


def test_the_detail_page_groups_costs_by_kind_and_keeps_markup_inert(client, coordinator, full_claim, person):
    client.force_login(coordinator)
    response = client.get(reverse("compensation:claim_detail", args=[full_claim.pk]))
    groups = response.context["groups"]
    assert [(group.category, group.count, group.amount) for group, _rows in groups] == [
        ("interpreting", 2, Decimal("200.50")),
        ("quota_preparation", 1, Decimal("1000.00")),
    ]
    assert response.context["total"] == Decimal("1200.50")
    assert response.context["attachments"] == [
        "Invoice TULKKI-1",
        "Interpreting log",
        "Invoice TULKKI-2",
        "Decision VARELY/5/2024",
    ]
    content = response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in content and MARKUP not in content
    assert ReadEvent.objects.filter(user=coordinator, client=person, action="list").count() == 1


def test_the_xlsx_lists_the_costs_with_totals_and_attachments(client, coordinator, full_claim, person):
    client.force_login(coordinator)
    response = client.get(reverse("compensation:claim_xlsx", args=[full_claim.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "category")
    data = rows[header + 1 :]
    assert sorted(row[10] for row in data) == [80.5, 120.0, 1000.0]
    assert {row[4] for row in data} == {person.pk, ""}
    described = {row[6] for row in data}
    assert MARKUP in described and "'" + FORMULA in described  # text, never a formula
    notes = [row[0] for row in rows[:header] if row and row[0]]
    with translation.override("fi"):
        interpreting = str(CostCategory.INTERPRETING.label)
    assert f"{interpreting}: 200.50 € (2)" in notes
    assert any("1200.50" in note for note in notes)
    assert any("Decision VARELY/5/2024" in note and "Interpreting log" in note for note in notes)
    assert person.display_name not in str(rows)
    assert ReadEvent.objects.filter(user=coordinator, client=person, action="export").exists()


def test_the_pdf_lists_the_costs_by_kind_with_totals_and_attachments(client, coordinator, full_claim, narpes):
    client.force_login(coordinator)
    response = client.get(reverse("compensation:claim_pdf", args=[full_claim.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    with translation.override("fi"):  # the page's language: Finnish labels and decimal commas
        labels = [str(CostCategory.INTERPRETING.label), str(CostCategory.QUOTA_PREPARATION.label)]
        amounts = [formats.localize(Decimal(amount)) for amount in ("200.50", "1000.00", "1200.50")]
    assert amounts[0] == "200,50"
    for expected in [
        *labels,
        *amounts,
        narpes.name,
        "VARELY/5/2024",
        "Interpreting log",
        MARKUP,
    ]:
        assert expected in text, expected
    assert text.count("Interpreting log") == 1


# --- query counts --------------------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_lists_and_the_claim_cost_the_same_queries_however_many_rows(client, narpes, coordinator, person):
    cost(narpes, coordinator, client=person)
    claim = draft(narpes, coordinator)
    cost(narpes, coordinator, cost_date=D(2024, 2, 1))
    client.force_login(coordinator)
    urls = [
        (reverse("compensation:costs"), {"payee": narpes.pk}),
        (reverse("compensation:claims"), {}),
        (reverse("compensation:claim_detail", args=[claim.pk]), {}),
    ]
    before = [_queries(client, url, params) for url, params in urls]
    others = [make_client(narpes, by=coordinator, family_name=f"Name{n}") for n in range(4)]
    for n, other in enumerate(others):
        cost(narpes, coordinator, client=other, cost_date=D(2024, 5, n + 1))
        cost(narpes, coordinator, cost_date=D(2024, 6, n + 1))
    claims.claim_collect(by=coordinator, claim=claim)
    draft(narpes, coordinator, D(2025, 1, 1), D(2025, 12, 31))
    draft(narpes, coordinator, D(2022, 1, 1), D(2022, 12, 31))
    assert [_queries(client, url, params) for url, params in urls] == before


def test_the_words_about_a_client_reach_only_those_who_may_see_the_client(
    client, narpes, coordinator, reporting, person
):
    made = cost(
        narpes, coordinator, client=person, description="Psykiatrisk vård", attachments="Lääkärinlausunto"
    )
    claim = draft(narpes, coordinator)
    claim_costs = claims.claim_costs(claim)
    assert [c.pk for c in claim_costs] == [made.pk]
    client.force_login(reporting)
    for url in (
        reverse("compensation:claim_detail", args=[claim.pk]),
        reverse("compensation:cost_edit", args=[made.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Psykiatrisk vård" not in page and "Lääkärinlausunto" not in page, url
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("compensation:claim_xlsx", args=[claim.pk])).content)
    ).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert not {"Psykiatrisk vård", "Lääkärinlausunto"} & cells and "100" in cells
    pdf = PdfReader(io.BytesIO(client.get(reverse("compensation:claim_pdf", args=[claim.pk])).content))
    assert "Psykiatrisk" not in "".join(page.extract_text() for page in pdf.pages)
    assert not ReadEvent.objects.filter(user=reporting).exists()
    # The coordinator, who sees the client, reads it all, and the export is logged.
    client.force_login(coordinator)
    assert (
        "Psykiatrisk vård"
        in client.get(reverse("compensation:claim_detail", args=[claim.pk])).content.decode()
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("compensation:claim_xlsx", args=[claim.pk])).content)
    ).active
    assert "Psykiatrisk vård" in {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert ReadEvent.objects.filter(user=coordinator, action="export", client=person).exists()


def test_a_draft_can_be_removed_and_its_costs_are_free_again_but_a_sent_claim_stays(
    client, narpes, coordinator, vasa
):
    first = cost(narpes, coordinator)
    claim = draft(narpes, coordinator)
    assert first.claim_id is None and CostEntry.objects.get(pk=first.pk).claim == claim
    # Another municipality's coordinator finds nothing to remove.
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    assert client.post(reverse("compensation:claim_delete", args=[claim.pk])).status_code == 404
    client.force_login(coordinator)
    response = client.post(reverse("compensation:claim_delete", args=[claim.pk]), follow=True)
    assert response.status_code == 200
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert CostEntry.objects.get(pk=first.pk).claim is None
    sent = draft(narpes, coordinator)
    claims.claim_send(by=coordinator, claim=sent, sent_on=TODAY)
    response = client.post(reverse("compensation:claim_delete", args=[sent.pk]), follow=True)
    assert response.status_code == 200 and Claim.objects.filter(pk=sent.pk).exists()
