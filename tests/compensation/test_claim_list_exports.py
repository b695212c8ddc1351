"""The cost list and the claim list as CSV and .xlsx: the page's filters and access, every row (not
one page), the filters noted, formulas inert, record numbers only, and the reads of the clients the
user may see logged (the claim list names no client: nothing logged)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hemkommun.compensation import claims, claims_views
from hemkommun.compensation.claims_views import CLAIM_EXPORT_COLUMNS, COST_EXPORT_COLUMNS
from hemkommun.compensation.models import Claim, CostCategory, CostEntry
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

D = datetime.date
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
def person(narpes, coordinator):
    return make_client(narpes, by=coordinator, family_name="Haddad", given_names="Rami")


def cost(payee, by, **data) -> CostEntry:
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


def read(response, columns) -> tuple[list[str], list[list[str]]]:
    """The notes above the table, and the rows below its header, from either kind of file."""
    assert response.status_code == 200, response.status_code
    if response["Content-Type"].startswith("text/csv"):
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        lines = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header_at = lines.index(columns)
    return [line[0] for line in lines[: header_at - 1]], lines[header_at + 1 :]


def fi(message: str, **values) -> str:
    with translation.override("fi"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def label(choice) -> str:
    with translation.override("fi"):
        return str(choice.label)


def costs_url(file_format: str) -> str:
    return reverse("compensation:costs_export", args=[file_format])


def claims_url(file_format: str) -> str:
    return reverse("compensation:claims_export", args=[file_format])


# --- the cost list -------------------------------------------------------------------------------


def test_the_cost_file_has_the_filtered_costs_with_codes_and_labels(
    client, narpes, vasa, coordinator, person
):
    mine = cost(narpes, coordinator, client=person, invoice_reference=FORMULA, amount_eur=Decimal("120.50"))
    cost(narpes, coordinator, category=CostCategory.SOCIAL_ASSISTANCE)  # filtered out
    cost(vasa, UserFactory.with_role(Role.COORDINATOR, vasa), invoice_reference="Vasa invoice")
    client.force_login(coordinator)
    response = client.get(costs_url("csv"), {"payee": narpes.pk, "category": "interpreting", "page": "3"})
    assert 'filename="costs-545-20261115.csv"' in response["Content-Disposition"]
    notes, rows = read(response, COST_EXPORT_COLUMNS)
    assert "coordinator.narpes" in notes[0]
    with translation.override("fi"):
        all_label = str(claims_views.CostFilterForm.base_fields["claim_state"].choices[0][1])
    filters = ", ".join(
        [
            fi("claimed by %(payee)s", payee="Närpes"),
            fi("kind of cost: %(kind)s", kind=label(CostCategory.INTERPRETING)),
            fi("claim: %(state)s", state=all_label),
        ]
    )
    assert notes[1] == fi("Filters: %(filters)s", filters=filters)
    # The deadline of a cost of 2024 is 31.12.2026 (the claim deadline parameter: two years).
    assert rows == [
        [
            str(mine.pk),
            "2024-03-05",
            "interpreting",
            label(CostCategory.INTERPRETING),
            str(person.pk),
            "'" + FORMULA,
            "120.5",
            "2026-12-31",
            "0",
            "",
            "",
            "",
        ]
    ]
    content = response.content.decode("utf-8-sig")
    assert "Haddad" not in content and "Vasa invoice" not in content  # record numbers; Närpes only
    assert ReadEvent.objects.filter(
        user=coordinator, client=person, action=ReadEvent.Action.EXPORT, context__startswith=costs_url("csv")
    ).exists()


def test_the_cost_file_has_every_row_and_the_claim_of_each(client, narpes, coordinator):
    CostEntry.objects.bulk_create(
        CostEntry(
            payee=narpes,
            category="interpreting",
            cost_date=D(2025, 1, 1),
            amount_eur=1,
            created_by=coordinator,
        )
        for _ in range(claims_views.PAGE_SIZE + 5)
    )
    cost(narpes, coordinator, cost_date=D(2025, 6, 1))
    claim = claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2025, 5, 1), period_last=D(2025, 6, 30)
    )[0]
    client.force_login(coordinator)
    _notes, rows = read(client.get(costs_url("xlsx"), {"payee": narpes.pk}), COST_EXPORT_COLUMNS)
    assert len(rows) == claims_views.PAGE_SIZE + 6
    with translation.override("fi"):
        draft = str(Claim.Status.DRAFT.label)
    assert rows[0][1] == "2025-06-01" and rows[0][9:] == [str(claim.pk), "draft", draft]
    # In the .xlsx the amount is a number, so that the sheet adds it up.
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(costs_url("xlsx")).content)).active
    amounts = [row[6] for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).isdigit()]
    assert amounts and all(isinstance(amount, int | float) for amount in amounts)


def test_the_claim_state_filter_is_noted_and_applied(client, narpes, coordinator):
    cost(narpes, coordinator)
    cost(narpes, coordinator, cost_date=D(2025, 6, 1))
    claims.claim_create(by=coordinator, payee=narpes, period_first=D(2025, 1, 1), period_last=D(2025, 12, 31))
    client.force_login(coordinator)
    notes, rows = read(
        client.get(costs_url("csv"), {"payee": narpes.pk, "claim_state": "none"}), COST_EXPORT_COLUMNS
    )
    assert [row[1] for row in rows] == ["2024-03-05"]
    with translation.override("fi"):
        none_label = str(dict(claims_views.CostFilterForm.base_fields["claim_state"].choices)["none"])
    assert fi("claim: %(state)s", state=none_label) in notes[1]


def test_reporting_staff_get_record_numbers_and_no_read_is_logged(client, narpes, coordinator, person):
    cost(narpes, coordinator, client=person)
    reporting = UserFactory.with_role(Role.REPORTING, narpes)
    client.force_login(reporting)
    response = client.get(costs_url("csv"))
    _notes, rows = read(response, COST_EXPORT_COLUMNS)
    assert [row[4] for row in rows] == [str(person.pk)]
    assert "Haddad" not in response.content.decode("utf-8-sig")
    assert not ReadEvent.objects.filter(user=reporting).exists()  # they may not see the client


def test_another_payees_costs_stay_out_even_when_asked_for(client, narpes, vasa, coordinator, person):
    cost(narpes, coordinator, client=person, invoice_reference="Närpes invoice")
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    client.force_login(vasa_coordinator)
    response = client.get(costs_url("csv"), {"payee": narpes.pk})
    notes, rows = read(response, COST_EXPORT_COLUMNS)
    assert rows == [] and fi("claimed by %(payee)s", payee="Vasa") in notes[1]
    assert "Närpes invoice" not in response.content.decode("utf-8-sig")
    assert not ReadEvent.objects.filter(user=vasa_coordinator).exists()


def test_beyond_the_limit_the_user_is_asked_to_narrow_the_filters(
    client, narpes, coordinator, person, monkeypatch
):
    cost(narpes, coordinator, client=person)
    cost(narpes, coordinator)
    monkeypatch.setattr(claims_views, "LIST_EXPORT_ROWS", 1)
    client.force_login(coordinator)
    response = client.get(costs_url("csv"), {"payee": narpes.pk, "page": "2"})
    assert (
        response.status_code == 302
        and response["Location"] == f"{reverse('compensation:costs')}?payee={narpes.pk}"
    )
    page = client.get(response["Location"])
    assert fi("More than %(limit)s costs: narrow the filters.", limit=1) in [
        str(m) for m in page.context["messages"]
    ]
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


# --- the claim list ------------------------------------------------------------------------------


def test_the_claim_file_has_the_filtered_claims_and_logs_no_read(client, narpes, vasa, coordinator, person):
    cost(narpes, coordinator, client=person, amount_eur=Decimal("300.00"))
    sent = claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2024, 1, 1), period_last=D(2024, 12, 31)
    )[0]
    sent = claims.claim_send(by=coordinator, claim=sent, sent_on=D(2026, 11, 1))
    cost(narpes, coordinator, cost_date=D(2025, 2, 1), amount_eur=Decimal("40.25"))
    draft = claims.claim_create(
        by=coordinator, payee=narpes, period_first=D(2025, 1, 1), period_last=D(2025, 12, 31)
    )[0]
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    claims.claim_create(
        by=vasa_coordinator, payee=vasa, period_first=D(2025, 1, 1), period_last=D(2025, 12, 31)
    )
    client.force_login(coordinator)
    notes, rows = read(client.get(claims_url("csv")), CLAIM_EXPORT_COLUMNS)
    with translation.override("fi"):
        labels = {status: str(status.label) for status in Claim.Status}
        all_label = str(claims_views.ClaimFilterForm.base_fields["status"].choices[0][1])
    filters = ", ".join(
        [fi("claimed by %(payee)s", payee="Närpes"), fi("status: %(status)s", status=all_label)]
    )
    assert "coordinator.narpes" in notes[0] and notes[1] == fi("Filters: %(filters)s", filters=filters)
    assert rows == [
        [
            str(draft.pk),
            "2025-01-01",
            "2025-12-31",
            "545",
            "Närpes",
            "draft",
            labels[Claim.Status.DRAFT],
            "1",
            "40.25",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            str(sent.pk),
            "2024-01-01",
            "2024-12-31",
            "545",
            "Närpes",
            "sent",
            labels[Claim.Status.SENT],
            "1",
            "300.0",
            "",
            "",
            "2026-11-01",
            "",
            "",
        ],
    ]
    notes, rows = read(client.get(claims_url("xlsx"), {"status": "sent"}), CLAIM_EXPORT_COLUMNS)
    assert [row[0] for row in rows] == [str(sent.pk)]
    assert fi("status: %(status)s", status=labels[Claim.Status.SENT]) in notes[1]
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()
    # Vasa's coordinator asking for Närpes gets Vasa's claims only.
    client.force_login(vasa_coordinator)
    _notes, rows = read(client.get(claims_url("csv"), {"payee": narpes.pk}), CLAIM_EXPORT_COLUMNS)
    assert [row[3] for row in rows] == ["905"]


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.CASE_WORKER, Role.DATA_PROTECTION_OFFICER])
def test_roles_without_compensation_find_no_file(client, narpes, coordinator, role):
    cost(narpes, coordinator)
    claims.claim_create(by=coordinator, payee=narpes, period_first=D(2024, 1, 1), period_last=D(2024, 12, 31))
    client.force_login(UserFactory.with_role(role, narpes))
    for url in (costs_url("csv"), costs_url("xlsx"), claims_url("csv"), claims_url("xlsx")):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (costs_url("csv"), claims_url("xlsx")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_lists_offer_both_files_with_the_filters(client, narpes, coordinator):
    client.force_login(coordinator)
    page = client.get(
        reverse("compensation:costs"), {"payee": narpes.pk, "category": "interpreting", "page": "2"}
    )
    html = page.content.decode()
    for file_format in ("csv", "xlsx"):
        assert f'href="{costs_url(file_format)}?payee={narpes.pk}&amp;category=interpreting"' in html
    html = client.get(reverse("compensation:claims"), {"status": "draft"}).content.decode()
    assert f'href="{claims_url("xlsx")}?status=draft"' in html
