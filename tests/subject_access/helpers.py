"""A client with a row in every model the subject-access registry includes, made through the
services where they exist (the exchange record client) and directly where only the rows matter."""

import datetime
from decimal import Decimal

from django.utils import timezone

from hemkommun.access.models import Consent, Purpose
from hemkommun.access.policy import Basis
from hemkommun.casework.models import Aftercare, Deadline, FamilyReunificationNeed, Notification, Rule
from hemkommun.clients import services as client_services
from hemkommun.clients.models import EarlierResidence
from hemkommun.compensation.claims_models import CostEntry
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.exchange.models import RecordImport
from hemkommun.reception.models import Flat, FlatAssignment, MinorPlacement, PlacementAgreement
from hemkommun.retention.models import LegalHold
from hemkommun.subject_access.models import SubjectAccessRequest
from tests.api import helpers as api
from tests.exchange.helpers import full_record_client
from tests.factories import OrganisationFactory, make_client, make_share

IDENTITY_CODE = "131052-308T"


def rich_client(narpes, worker):
    """The exchange test's full record (assessment, plan, referrals) and everything else besides."""
    client = full_record_client(narpes, worker, identity_code=IDENTITY_CODE)
    _household(client, worker)
    EarlierResidence.objects.create(
        client=client,
        municipality=OrganisationFactory.municipality("287", "Kristinestad"),
        moved_out_on=datetime.date(2025, 6, 1),
    )
    api.contact(narpes, client, notes="Asked about <b>housing</b>.")
    group = api.arrival(
        narpes, OrganisationFactory.welfare_area(code="welfare-ostrobothnia"), clients=[client]
    )
    api.activity(narpes, clients=[client])
    _followups(client, worker)
    _reception(client, worker, group)
    _compensation(client, worker)
    make_share(client, OrganisationFactory.municipality("905", "Vasa"), by=worker)
    _consent_and_hold(client, worker)
    RecordImport.objects.create(
        client=client,
        source_organisation_code="287",
        source_organisation_name="Kristinestad",
        exported_at=timezone.now() - datetime.timedelta(days=300),
        imported_by=worker,
    )
    SubjectAccessRequest.objects.create(client=client, produced_by=worker, language="sv", format="json")
    record_reads(
        user=worker,
        client_ids=[client.pk],
        action=ReadEvent.Action.DETAIL,
        basis=Basis(own_organisation=True),
    )
    return client


def _consent_and_hold(client, worker):
    Consent.objects.create(
        client=client,
        purpose=Purpose.CASE_TEAM,
        form=Consent.Form.WRITTEN,
        given_on=datetime.date(2025, 5, 2),
        note="Signed at the service point.",
        recorded_by=worker,
    )
    LegalHold.objects.create(
        client=client, reason="Complaint pending", placed_by=worker, held_from=datetime.date(2026, 1, 1)
    )


def _household(client, worker):
    spouse = make_client(client.organisation, by=worker, family_name="Al-Hassan", given_names="Fatima")
    client_services.household_join(by=worker, client=spouse, other=client, relation="spouse")


def _followups(client, worker):
    today = timezone.localdate()
    if not Deadline.objects.filter(client=client).exists():
        rule = Rule.objects.first()
        Deadline.objects.create(
            client=client,
            rule=rule,
            kind=rule.kind,
            starts_on=today,
            due_on=today + datetime.timedelta(days=30),
        )
    deadline = Deadline.objects.filter(client=client).first()
    Notification.objects.create(
        user=worker,
        client=client,
        kind=Notification.Kind.UPCOMING,
        deadline_kind=deadline.kind,
        deadline_starts_on=deadline.starts_on,
        due_on=deadline.due_on,
    )
    FamilyReunificationNeed.objects.create(
        client=client, recorded_on=today, by=worker, family_abroad="Daughter in Turkey."
    )
    Aftercare.objects.create(client=client, started_on=today, description="Follow-up visits.", by=worker)


def _reception(client, worker, group):
    flat = Flat.objects.create(
        municipality=client.organisation,
        street_address="Storgatan 1 A 2",
        rooms=2,
        size_m2=Decimal("48.5"),
        rent_eur=Decimal("650.00"),
    )
    FlatAssignment.objects.create(flat=flat, group=group, starts_on=timezone.localdate())
    state_centre = OrganisationFactory(kind="state_centre", code="ely-ostrobothnia")
    agreement = PlacementAgreement.objects.create(
        municipality=client.organisation,
        state_centre=state_centre,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    MinorPlacement.objects.create(
        agreement=agreement,
        municipality=client.organisation,
        client=client,
        kind=MinorPlacement.Kind.SUPPORTED_HOUSING,
        unit_name="Stödboende Närpes",
        starts_on=timezone.localdate(),
    )


def _compensation(client, worker):
    CostEntry.objects.create(
        payee=client.organisation,
        client=client,
        category="interpreting",
        cost_date=timezone.localdate(),
        amount_eur=Decimal("123.45"),
        description="Tolkning",
        created_by=worker,
    )
