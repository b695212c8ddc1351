"""A known data set for the statistics: Närpes with clients, contacts, casework, an arrival and
an activity in 2026 (and some in 2025, outside the default period), and Vasa beside it, whose
figures a Närpes user must never see. Time stands at 15.6.2026."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from hemkommun.casework.models import Assessment, Contact, IntegrationPlan, Referral
from hemkommun.organizations.models import Organisation, Role
from hemkommun.programme.activity_models import Activity, AnonymousAttendance, Attendance, Session
from hemkommun.reception.models.arrivals import ArrivalGroup, ExpectedMember
from hemkommun.reports.forms import StatisticsForm
from hemkommun.reports.statistics import Filters, Scope, statistics

from ..factories import OrganisationFactory, UserFactory, make_client

TODAY = datetime.date(2026, 6, 15)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-15 12:00 +0300", tick=False):
        yield


def at(day: str, time: str = "12:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} {time}"))


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


@pytest.fixture
def coordinator_narpes(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def reporting_narpes(narpes):
    return UserFactory.with_role(Role.REPORTING, narpes, username="reporting.narpes")


@pytest.fixture
def welfare():
    return OrganisationFactory.welfare_area()


def contact(organisation, by, client=None, *, when, channel="visit", **data):
    return Contact.objects.create(
        organisation=organisation,
        unit=organisation.units.first(),
        client=client,
        recorded_by=by,
        occurred_at=when,
        channel=channel,
        **data,
    )


@pytest.fixture
def dataset(narpes, vasa, coordinator_narpes, counsellor_narpes, counsellor_vasa, welfare):
    by = counsellor_narpes
    c1 = make_client(
        narpes,
        by=by,
        family_name="Ali",
        sex="F",
        birth_year=1990,
        residence_ground="quota_refugee",
        native_language="ar",
        client_since=d("2026-02-01"),
    )
    c1.responsible_unit = narpes.units.first()
    c1.save(update_fields=["responsible_unit"])
    c2 = make_client(
        narpes,
        by=by,
        family_name="Bakr",
        sex="M",
        birth_year=2010,
        residence_ground="asylum",
        native_language="ar",
        client_since=d("2025-05-01"),
    )
    c3 = make_client(
        narpes,
        by=by,
        family_name="Cali",
        sex="F",
        birth_year=1950,
        residence_ground="family",
        native_language="so",
        client_since=d("2026-03-01"),
    )
    c4 = make_client(narpes, by=by, family_name="Dahl", client_since=d("2024-01-01"))
    contact(narpes, by, c1, when=at("2026-03-01"))
    contact(narpes, by, c2, when=at("2026-04-01"), channel="phone")
    contact(narpes, by, c4, when=at("2025-12-31", "23:30"))  # the last evening of 2025 in Helsinki
    contact(narpes, by, when=at("2026-05-01"), channel="chat", language="ar", age_group="18-29")
    contact(narpes, by, when=at("2026-05-02"), channel="chat", language="ar", age_group="18-29")
    contact(narpes, by, when=at("2025-05-02"), channel="visit", language="so")

    Assessment.objects.create(
        client=c1,
        organisation=narpes,
        worker=by,
        status="completed",
        started_on=d("2026-03-01"),
        completed_on=d("2026-03-10"),
    )
    Assessment.objects.create(
        client=c2, organisation=narpes, worker=by, status="draft", started_on=d("2026-04-01")
    )
    Assessment.objects.create(
        client=c3,
        organisation=narpes,
        worker=by,
        status="signed",
        started_on=d("2025-11-01"),
        completed_on=d("2025-12-01"),
    )
    IntegrationPlan.objects.create(
        client=c1,
        organisation=narpes,
        worker=by,
        status="agreed",
        drafted_on=d("2026-03-15"),
        starts_on=d("2026-04-01"),
        ends_on=d("2027-03-31"),
        agreed_on=d("2026-04-01"),
    )
    IntegrationPlan.objects.create(
        client=c2,
        organisation=narpes,
        worker=by,
        status="draft",
        drafted_on=d("2026-05-01"),
        starts_on=d("2026-05-01"),
        ends_on=d("2027-04-30"),
    )
    for client, sent, status in [
        (c1, "2026-04-02", "accepted"),
        (c2, "2026-05-01", "rejected"),
        (c3, "2025-01-01", "completed"),
    ]:
        Referral.objects.create(
            client=client,
            kind="employment",
            from_organisation=narpes,
            to_organisation=vasa,
            sent_by=by,
            sent_on=d(sent),
            due_on=d(sent) + datetime.timedelta(days=14),
            reason="r",
            status=status,
        )

    group = ArrivalGroup.objects.create(
        municipality=narpes,
        welfare_area=welfare,
        reference="Q-1",
        expected_on=d("2026-03-15"),
        arrived_on=d("2026-03-15"),
        status="arrived",
        created_by=by,
    )
    ExpectedMember.objects.create(group=group, relation="head", birth_year=1980, sex="F", languages="ar")
    ExpectedMember.objects.create(
        group=group, relation="spouse", birth_year=1978, sex="M", languages="ar, ku"
    )
    ExpectedMember.objects.create(group=group, relation="child", birth_year=2015, sex="F", languages="ar")
    expected = ArrivalGroup.objects.create(
        municipality=narpes,
        welfare_area=welfare,
        reference="Q-2",
        expected_on=d("2026-09-01"),
        status="expected",
        created_by=by,
    )
    ExpectedMember.objects.create(group=expected, relation="head", birth_year=1970, sex="M")

    activity = Activity.objects.create(
        municipality=narpes,
        name="Morgonkaffe",
        kind="recurring",
        organiser="Närpes",
        starts_on=d("2025-01-01"),
        created_by=by,
    )
    s1 = Session.objects.create(activity=activity, held_on=d("2026-02-03"))
    s2 = Session.objects.create(activity=activity, held_on=d("2026-02-10"))
    s0 = Session.objects.create(activity=activity, held_on=d("2025-02-10"))
    for session, client in [(s1, c1), (s2, c1), (s2, c2), (s0, c3)]:
        Attendance.objects.create(session=session, client=client)
    AnonymousAttendance.objects.create(session=s1, age_group="30-64", gender="F", language="ar", count=3)
    AnonymousAttendance.objects.create(session=s2, age_group="unknown", gender="M", language="so", count=2)

    # Vasa: of the same kinds, never in Närpes's figures.
    v1 = make_client(
        vasa,
        by=counsellor_vasa,
        family_name="Virta",
        sex="F",
        birth_year=1990,
        residence_ground="quota_refugee",
        native_language="ar",
        client_since=d("2026-02-01"),
    )
    contact(vasa, counsellor_vasa, v1, when=at("2026-03-01"))
    contact(vasa, counsellor_vasa, when=at("2026-03-02"), channel="chat", language="ar")
    Assessment.objects.create(
        client=v1,
        organisation=vasa,
        worker=counsellor_vasa,
        status="completed",
        started_on=d("2026-03-01"),
        completed_on=d("2026-03-10"),
    )
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "v1": v1, "group": group}


def compute(scope_organisations: list[Organisation], *, exact: bool = True, **filters):
    """statistics() for these organisations; filters as the form gives them (default: 2026)."""
    filters.setdefault("date_from", YEAR[0])
    filters.setdefault("date_to", YEAR[1])
    scope = Scope(frozenset(o.pk for o in scope_organisations), exact=exact)
    return statistics(scope=scope, filters=Filters(**filters))


def summary(stats) -> dict[str, str]:
    return {row.key: row.cells[0].shown for row in stats.table("summary").rows}


def table(stats, key: str) -> dict[str, list[str]]:
    found = stats.table(key)
    rows = {row.key: [cell.shown for cell in row.cells] for row in found.rows}
    if found.total:
        rows["total"] = [cell.shown for cell in found.total.cells]
    return rows


__all__ = ["StatisticsForm", "TODAY", "YEAR", "at", "compute", "contact", "d", "summary", "table"]
