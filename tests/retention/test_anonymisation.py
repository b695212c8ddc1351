"""Anonymisation of a client: what identifies the person and every free text goes, the statistics
stay exactly as they were (reports' data set, made richer with everything there is to remove)."""

import json

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from hemkommun.access.models import Share
from hemkommun.casework.deadlines import refresh_deadlines
from hemkommun.casework.models import Assessment, Contact, IntegrationPlan, PlanGoal, Referral, ReferralEvent
from hemkommun.clients.models import Client, ClientNameToken
from hemkommun.core.models import ReadEvent
from hemkommun.retention import erasure

from ..factories import make_client, make_share
from ..reports.conftest import compute, contact, coordinator_narpes, d, dataset, welfare  # noqa: F401 (fixtures)
from .conftest import at

SECRET = "Salainen"  # written into every free text: none of it may survive


@pytest.fixture
def rich(dataset, narpes, vasa, counsellor_narpes):  # noqa: F811
    """The reports' data set with names, codes, notes, reads and shares on the Närpes clients, a
    client turning 18 in the period, and the deadlines of the law."""
    by = counsellor_narpes
    c5 = make_client(
        narpes,
        by=by,
        family_name="Eskola",
        sex="F",
        birth_year=2008,
        birth_month=12,
        birth_day=20,
        native_language="uk",
        residence_ground="temporary_protection",
        client_since=d("2026-01-10"),
        phone="+358401234567",
        email="salainen@example.org",
        street_address="Salainen 1",
    )
    contact(narpes, by, c5, when=at("2026-02-01"), notes=f"{SECRET} contact")
    Client.objects.filter(pk=dataset["c1"].pk).update(
        identity_code="131052-308T", birth_month=3, birth_day=14, preferred_name=SECRET
    )
    Contact.objects.filter(client=dataset["c1"]).update(notes=f"{SECRET} notes")
    Assessment.objects.filter(organisation=narpes).update(
        work_history=SECRET, family_situation=SECRET, health_notes=SECRET, other_service_needs=SECRET
    )
    plan = IntegrationPlan.objects.filter(client=dataset["c1"]).get()
    plan.summary = SECRET
    plan.save()
    PlanGoal.objects.create(plan=plan, kind="language", description=SECRET)
    Referral.objects.filter(from_organisation=narpes).update(reason=SECRET, outcome=SECRET)
    for referral in Referral.objects.filter(from_organisation=narpes):
        ReferralEvent.objects.create(
            referral=referral, status="sent", by=by, organisation=narpes, note=SECRET
        )
    share = make_share(dataset["c1"], vasa)
    ReadEvent.objects.create(user=by, client=dataset["c1"], action="detail")
    ReadEvent.objects.create(user=by, client=dataset["c1"], action="detail", share=share)
    for client in Client.objects.filter(organisation=narpes):
        refresh_deadlines(client)
    return {**dataset, "c5": c5}


FILTERS = [
    {},
    {"exact": False},
    {"exact": False, "for_sharing": True},
    {"age_group": "0-17"},
    {"age_group": "18-29"},
    {"age_group": "30-64"},
    {"age_group": "65+"},
    {"sex": "F"},
    {"language": "ar"},
    {"residence_ground": "asylum"},
    {"date_from": d("2026-01-01"), "date_to": d("2026-06-30")},
    {"date_from": d("2025-01-01"), "date_to": d("2025-12-31")},
]


def every_figure(organisations) -> list:
    """Every table of the statistics, cell by cell, under each set of filters."""
    out = []
    for filters in FILTERS:
        filters = dict(filters)
        exact = filters.pop("exact", True)
        stats = compute(organisations, exact=exact, **filters)
        for table in stats.tables:
            rows = [*table.rows, *([table.total] if table.total else [])]
            out.append(
                (
                    json.dumps(filters, default=str),
                    table.key,
                    [(r.key, [c.shown for c in r.cells]) for r in rows],
                )
            )
    return out


def test_the_statistics_are_the_same_after_anonymisation(rich, narpes, vasa):
    before = every_figure([narpes, vasa])
    assert any(cells[0] != ["0"] for *_x, rows in before for _k, cells in rows), (
        "an empty data set proves nothing"
    )
    for client in Client.objects.filter(organisation=narpes):
        with transaction.atomic():
            erasure.anonymise_client(client)
    assert every_figure([narpes, vasa]) == before


def test_the_unit_filter_still_counts_the_same(rich, narpes):
    unit = narpes.units.first()
    before = every_figure_for_unit(narpes, unit)
    for client in Client.objects.filter(organisation=narpes):
        erasure.anonymise_client(client)
    assert every_figure_for_unit(narpes, unit) == before


def every_figure_for_unit(organisation, unit):
    stats = compute([organisation], unit=unit)
    return [(t.key, [[c.shown for c in r.cells] for r in t.rows]) for t in stats.tables]


def test_nothing_that_identifies_the_client_is_left(rich, narpes):
    c1 = rich["c1"]
    erasure.anonymise_client(c1)
    c1.refresh_from_db()
    assert (c1.family_name, c1.given_names, c1.identity_code, c1.preferred_name) == ("***", "***", "", "")
    assert c1.birth_day is None and (c1.birth_year, c1.birth_month) == (1990, 3)
    assert (c1.sex, c1.native_language, c1.residence_ground) == ("F", "ar", "quota_refugee")
    assert not ClientNameToken.objects.filter(client=c1).exists()
    assert not ReadEvent.objects.filter(client=c1).exists()
    assert not Share.objects.filter(client=c1).exists()
    texts = [
        *Contact.objects.filter(client=c1).values_list("notes", flat=True),
        *Assessment.objects.filter(client=c1).values_list("work_history", "family_situation", "health_notes"),
        *IntegrationPlan.objects.filter(client=c1).values_list("summary", flat=True),
        *PlanGoal.objects.filter(plan__client=c1).values_list("description", flat=True),
        *Referral.objects.filter(client=c1).values_list("reason", "outcome"),
        *ReferralEvent.objects.filter(referral__client=c1).values_list("note", flat=True),
    ]
    assert SECRET not in json.dumps(texts)
    # The rows the statistics count are all still there.
    assert Contact.objects.filter(client=c1).count() == 1
    assert Referral.objects.filter(client=c1).get().status == "accepted"


def test_the_change_history_of_the_client_goes_and_no_new_entry_copies_it(rich, narpes):
    c5 = rich["c5"]
    assert LogEntry.objects.get_for_object(c5).exists()
    erasure.anonymise_client(c5)
    assert not LogEntry.objects.get_for_object(c5).exists()
    everything = json.dumps(list(LogEntry.objects.values_list("changes", "object_repr", "serialized_data")))
    assert "Eskola" not in everything and "salainen@example.org" not in everything


def test_another_clients_records_are_untouched(rich, narpes):
    erasure.anonymise_client(rich["c1"])
    c2 = Client.objects.get(pk=rich["c2"].pk)
    assert c2.family_name == "Bakr"
    assert Referral.objects.get(client=c2).reason == SECRET
    assert LogEntry.objects.get_for_object(c2).exists()
