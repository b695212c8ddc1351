"""The forecast page of a payee: who may see it, its totals, its budget and its export."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from hemkommun.compensation import views
from hemkommun.core.models import ReadEvent
from hemkommun.exports import jobs
from hemkommun.exports.models import ExportJob
from hemkommun.organizations.models import Role
from hemkommun.reception.models import AgreedPlaces, PlacementAgreement

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-03-15 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes)


@pytest.fixture
def clients(narpes):
    adult = make_client(
        narpes, residence_ground="quota_refugee", birth_year=1980, home_municipality_date=D(2025, 2, 1)
    )
    child = make_client(
        narpes,
        residence_ground="quota_refugee",
        birth_year=2022,
        birth_month=1,
        birth_day=1,
        home_municipality_date=D(2025, 2, 1),
    )
    return adult, child


QUERY = {"first": "2026-01", "last": "2026-12"}


def test_the_forecast_adds_up_by_month_and_year(client, coordinator, narpes, clients):
    client.force_login(coordinator)
    response = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY})
    totals = response.context["totals"]
    assert totals.by_month[D(2026, 1, 1)] == Decimal("162.92") + Decimal("541.92")
    assert totals.by_year[2026] == 12 * (Decimal("162.92") + Decimal("541.92"))
    assert (totals.clients, totals.client_months) == (2, 24)


def test_the_budget_counts_places_agreed_but_not_used(client, coordinator, narpes, clients):
    state_centre = OrganisationFactory(kind="state_centre", code="ely")
    agreement = PlacementAgreement.objects.create(
        municipality=narpes, state_centre=state_centre, starts_on=D(2026, 1, 1), ends_on=D(2028, 12, 31)
    )
    AgreedPlaces.objects.create(agreement=agreement, year=2026, category="quota", places=10)
    client.force_login(coordinator)
    rows = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY}).context["budget_rows"]
    year, from_clients, unused, from_places, total = rows[0]
    # 10 quota places assumed taken on 1.7.2026 by adults: July to December, 6 months at 162.92.
    assert (year, unused, from_places) == (2026, 10, 10 * 6 * Decimal("162.92"))
    assert from_clients == 12 * (Decimal("162.92") + Decimal("541.92"))  # the two clients' year
    assert total == Decimal("8458.08") + Decimal("9775.20")
    # 2027: the same 10 people all year; no places agreed for 2027 itself.
    assert rows[1][2] == 0 and rows[1][3] == 10 * 12 * Decimal("162.92")


def test_the_export_lists_each_client_month_and_logs_the_read(client, coordinator, narpes, clients):
    client.force_login(coordinator)
    response = client.get(
        reverse("compensation:forecast_export", args=["csv"]), {"payee": narpes.pk, **QUERY}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(["external_id", "client_id", "month", "age_band", "group", "amount_eur", "rule"])
    assert len(rows) - header - 1 == 24
    assert {row[5] for row in rows[header + 1 :]} == {"162.92", "541.92"}
    logged = set(
        ReadEvent.objects.filter(user=coordinator, action="export").values_list("client_id", flat=True)
    )
    assert logged == {c.pk for c in clients}
    xlsx = client.get(reverse("compensation:forecast_export", args=["xlsx"]), {"payee": narpes.pk, **QUERY})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row and row[2] == "2026-01") == 2


@pytest.mark.parametrize(
    "role", [Role.COUNSELLOR, Role.CASE_WORKER, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR]
)
def test_roles_without_compensation_see_none_of_it(client, narpes, clients, role):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(reverse("compensation:forecast")).status_code == 404
    assert (
        client.get(
            reverse("compensation:forecast_export", args=["csv"]), {"payee": narpes.pk, **QUERY}
        ).status_code
        == 404
    )


def test_reporting_staff_see_the_forecast(client, narpes, clients):
    client.force_login(UserFactory.with_role(Role.REPORTING, narpes))
    assert (
        client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY}).context["totals"].clients
        == 2
    )


def test_another_payees_id_is_refused_and_nothing_is_shown(client, vasa, narpes, clients):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    response = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY})
    assert "payee" in response.context["form"].errors and "totals" not in response.context
    export = client.get(reverse("compensation:forecast_export", args=["csv"]), {"payee": narpes.pk, **QUERY})
    assert export.status_code == 404 and not ReadEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    "query",
    [
        {"first": "2026-13", "last": "2026-12"},
        {"first": "2026-05", "last": "2026-01"},
        {"first": "2020-01", "last": "2026-01"},
        {"first": "0001-01", "last": "2026-01"},
    ],
)
def test_bad_months_get_a_message(client, coordinator, narpes, query):
    client.force_login(coordinator)
    response = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **query})
    assert (
        response.status_code == 200 and response.context["form"].errors and "totals" not in response.context
    )


def test_a_client_held_elsewhere_counts_but_is_not_named(client, coordinator, narpes, vasa, clients):
    held_by_vasa = make_client(
        vasa,
        municipality_of_residence=narpes,
        residence_ground="asylum",
        birth_year=1990,
        home_municipality_date=D(2025, 6, 1),
    )
    client.force_login(coordinator)
    totals = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY}).context["totals"]
    assert totals.clients == 3  # Närpes is paid for the client who lives there
    response = client.get(
        reverse("compensation:forecast_export", args=["csv"]), {"payee": narpes.pk, **QUERY}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    anonymous = [row for row in rows if row[:2] == ["", ""] and row[2:3] == ["2026-01"]]
    assert len(anonymous) == 1 and anonymous[0][6] == ""
    assert [str(held_by_vasa.pk)] not in [row[1:2] for row in rows]
    assert not ReadEvent.objects.filter(client=held_by_vasa).exists()


def test_an_association_is_not_a_payee(client, clients):
    association = OrganisationFactory(code="assoc", kind="third_sector", name_fi="Yhdistys")
    client.force_login(UserFactory.with_role(Role.COORDINATOR, association))
    assert client.get(reverse("compensation:forecast")).status_code == 404


def test_a_welfare_area_sees_its_own_share_for_the_municipalities_it_serves(client, narpes, vasa, clients):
    # Welfare area rates 2023 on: 342 € under 7 (28.50 a month), 345 € from 7 (28.75).
    welfare = OrganisationFactory.welfare_area()
    narpes.welfare_area = welfare
    narpes.save()
    make_client(vasa, residence_ground="quota_refugee", birth_year=1980, home_municipality_date=D(2025, 2, 1))
    client.force_login(UserFactory.with_role(Role.REPORTING, welfare))
    response = client.get(reverse("compensation:forecast"), {"payee": welfare.pk, **QUERY})
    totals = response.context["totals"]
    # The Närpes adult and child; not the Vasa client, whose municipality the area does not serve.
    assert totals.by_month[D(2026, 1, 1)] == Decimal("28.75") + Decimal("28.50")
    assert (totals.clients, totals.client_months) == (2, 24)
    export = client.get(reverse("compensation:forecast_export", args=["csv"]), {"payee": welfare.pk, **QUERY})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    amounts = {row[5] for row in rows if len(row) == 7 and row[2].startswith("2026-")}
    assert amounts == {"28.75", "28.50"}
    # Närpes itself is still paid the municipality's share.
    client.force_login(UserFactory.with_role(Role.COORDINATOR, narpes))
    response = client.get(reverse("compensation:forecast"), {"payee": narpes.pk, **QUERY})
    assert response.context["totals"].by_month[D(2026, 1, 1)] == Decimal("162.92") + Decimal("541.92")


def test_a_large_forecast_export_is_prepared_in_the_background(
    client, coordinator, narpes, vasa, clients, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views, "DIRECT_EXPORT_ROWS", 23)  # two clients × 12 months is large here
    make_client(vasa, residence_ground="quota_refugee", birth_year=1980, home_municipality_date=D(2025, 2, 1))
    client.force_login(coordinator)
    query = {"payee": narpes.pk, **QUERY}
    confirm = client.get(reverse("compensation:forecast_export", args=["xlsx"]), query)
    assert 'name="kind" value="forecast"' in confirm.content.decode()
    assert not ReadEvent.objects.exists()
    client.post(
        reverse("exports:start"),
        {"kind": "forecast", "file_format": "xlsx", "query": f"payee={narpes.pk}&first=2026-01&last=2026-12"},
    )
    job = ExportJob.objects.get()
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done) == ("done", 2, 2)
    sheet = openpyxl.load_workbook(job.file.path).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[2] and row[2].startswith("2026-")]
    assert len(rows) == 24 and {row[1] for row in rows} == {c.pk for c in clients}
    logged = set(ReadEvent.objects.filter(action="export").values_list("client_id", flat=True))
    assert logged == {c.pk for c in clients}


def test_a_forecast_job_of_a_payee_no_longer_followed_fails(
    client, coordinator, narpes, clients, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    client.post(
        reverse("exports:start"),
        {"kind": "forecast", "file_format": "csv", "query": f"payee={narpes.pk}&first=2026-01&last=2026-12"},
    )
    coordinator.memberships.update(valid_until=D(2026, 3, 1))
    job = ExportJob.objects.get()
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert not ReadEvent.objects.exists()
