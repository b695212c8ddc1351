"""The officer's decisions: approval carries a proposal out (anonymisation or erasure) with a
destruction record, after checking the hold and the rule again; each proposal all or nothing."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from hemkommun.access.models import Share
from hemkommun.casework.models import Assessment, Contact, IntegrationPlan
from hemkommun.clients.models import Client
from hemkommun.compensation.claims_models import CostEntry
from hemkommun.core.models import ReadEvent
from hemkommun.exports.models import ExportJob
from hemkommun.organizations.models import User
from hemkommun.retention import jobs, services
from hemkommun.retention.models import DestructionRecord, RecordType, RetentionProposal, RetentionRule

from ..factories import make_share
from .conftest import TODAY, at, d
from .helpers import decide, old_client, proposal_for, shown_messages

Status = RetentionProposal.Status


def _(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)


@pytest.fixture
def erase_in_narpes(narpes):
    return RetentionRule.objects.create(
        organisation=narpes,
        record_type=RecordType.CLIENT,
        valid_from=d("2026-01-01"),
        years=10,
        counted_from="last_event",
        action="erase",
        legal_source="Närpes information management plan, 4.2",
    )


def test_approval_anonymises_and_keeps_a_record_without_personal_data(
    client, narpes, counsellor_narpes, dpo_narpes
):
    person = old_client(narpes, counsellor_narpes, family_name="Hakimi", identity_code="131052-308T")
    proposal = proposal_for(person)
    client.force_login(dpo_narpes)
    response = decide(client, [proposal])
    assert _("%(count)s proposals carried out.") % {"count": 1} in shown_messages(response)
    person.refresh_from_db()
    assert person.family_name == "***" and person.identity_code == ""
    proposal.refresh_from_db()
    assert proposal.status == Status.DONE and proposal.decided_by == dpo_narpes
    record = DestructionRecord.objects.get(proposal=proposal)
    assert (record.client_number, record.organisation, record.by, record.action) == (
        person.pk,
        narpes,
        dpo_narpes,
        "anonymise",
    )
    assert record.rule == proposal.rule and "906/2019" in record.legal_source
    assert record.period == proposal.rule.period_display()
    stored = json.dumps(list(DestructionRecord.objects.values()), default=str)
    assert "Hakimi" not in stored and "131052" not in stored


def test_approval_erases_the_whole_record_past_the_protected_keys(
    client, narpes, vasa, counsellor_narpes, dpo_narpes, erase_in_narpes
):
    person = old_client(narpes, counsellor_narpes, family_name="Hakimi")
    assessment = Assessment.objects.create(
        client=person,
        organisation=narpes,
        worker=counsellor_narpes,
        status="completed",
        started_on=d("2011-01-01"),
        completed_on=d("2011-02-01"),
    )
    IntegrationPlan.objects.create(  # PROTECTs the assessment
        client=person,
        organisation=narpes,
        worker=counsellor_narpes,
        assessment=assessment,
        status="ended",
        drafted_on=d("2011-02-01"),
        starts_on=d("2011-02-01"),
        ends_on=d("2012-01-01"),
    )
    share = make_share(person, vasa, state="expired")
    ReadEvent.objects.create(
        user=counsellor_narpes, client=person, action="detail", share=share
    )  # PROTECTs it
    hold = services.hold_place(
        client=person, by=dpo_narpes, reason="Old complaint", held_from=d("2020-01-01")
    )
    services.hold_lift(hold=hold, by=dpo_narpes)
    proposal = proposal_for(person)
    assert proposal.action == "erase"
    client.force_login(dpo_narpes)
    decide(client, [proposal])
    assert not Client.objects.filter(pk=person.pk).exists()
    assert (
        not Share.objects.filter(pk=share.pk).exists()
        and not ReadEvent.objects.filter(client_id=person.pk).exists()
    )
    assert not LogEntry.objects.filter(object_repr__contains="Hakimi").exists()
    record = DestructionRecord.objects.get(proposal=proposal)
    assert record.client_number == person.pk and record.details["assessment"] == 1
    assert record.details["integration plans"] == 1 and record.details["audit log entries"] >= 1


def test_a_client_with_cost_entries_is_not_erased_and_nothing_changes(
    client, narpes, counsellor_narpes, dpo_narpes, erase_in_narpes
):
    person = old_client(narpes, counsellor_narpes)
    CostEntry.objects.create(
        payee=narpes,
        client=person,
        category="interpreting",
        cost_date=d("2011-01-01"),
        amount_eur=10,
        created_by=counsellor_narpes,
    )
    proposal = proposal_for(person)
    client.force_login(dpo_narpes)
    response = decide(client, [proposal])
    with translation.override("fi"):
        expected = translation.gettext(
            "Client no. %(number)s has compensation cost entries, which are accounting records kept "
            "for a period of their own: the record cannot be erased, only anonymised."
        ) % {"number": person.pk}
    assert expected in shown_messages(response)
    assert Client.objects.filter(pk=person.pk).exists() and Contact.objects.filter(client=person).exists()
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED and not DestructionRecord.objects.exists()


@pytest.mark.parametrize("change", ["hold", "active_again", "rule"])
def test_what_changed_since_the_proposal_is_checked_again(
    client, narpes, counsellor_narpes, dpo_narpes, change
):
    person = old_client(narpes, counsellor_narpes, family_name="Hakimi")
    proposal = proposal_for(person)
    if change == "hold":
        services.hold_place(client=person, by=dpo_narpes, reason="Court case", held_from=TODAY)
        reason = services.NOT_DUE["legal_hold"]
    elif change == "active_again":
        Contact.objects.create(
            organisation=narpes, client=person, recorded_by=counsellor_narpes, occurred_at=at("2026-06-01")
        )
        reason = services.NOT_DUE["not_due"]
    else:
        RetentionRule.objects.create(
            organisation=narpes,
            record_type="client",
            valid_from=d("2026-06-01"),
            years=10,
            counted_from="last_event",
            action="erase",
            legal_source="x",
        )
        reason = services.NOT_DUE["rule_changed"]
    client.force_login(dpo_narpes)
    response = decide(client, [proposal])
    with translation.override("fi"):
        expected = translation.gettext("Client no. %(number)s cannot be handled now: %(reason)s.") % {
            "number": person.pk,
            "reason": str(reason),
        }
    assert expected in shown_messages(response)
    person.refresh_from_db()
    assert person.family_name == "Hakimi" and not DestructionRecord.objects.exists()


def test_a_batch_carries_out_what_it_can(client, narpes, counsellor_narpes, dpo_narpes):
    people = [old_client(narpes, counsellor_narpes, family_name=f"P{i}") for i in range(3)]
    jobs.propose_due()
    services.hold_place(client=people[1], by=dpo_narpes, reason="Audit", held_from=TODAY)
    client.force_login(dpo_narpes)
    response = decide(client, RetentionProposal.objects.all())
    assert _("%(count)s proposals carried out.") % {"count": 2} in shown_messages(response)
    assert DestructionRecord.objects.count() == 2
    assert Client.objects.get(pk=people[1].pk).family_name == "P1"


def test_rejection_needs_a_reason_and_leaves_the_record(client, narpes, counsellor_narpes, dpo_narpes):
    person = old_client(narpes, counsellor_narpes, family_name="Hakimi")
    proposal = proposal_for(person)
    client.force_login(dpo_narpes)
    response = decide(client, [proposal], decision="reject", reason="   ")
    assert _("Give the reason for rejecting.") in shown_messages(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED
    decide(client, [proposal], decision="reject", reason="Appeal pending in the administrative court")
    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED and proposal.reason.startswith("Appeal")
    assert Client.objects.get(pk=person.pk).family_name == "Hakimi"
    jobs.propose_due()
    assert not RetentionProposal.objects.filter(status=Status.PROPOSED).exists(), (
        "rejected is not proposed anew"
    )


def test_a_proposal_is_decided_once(narpes, counsellor_narpes, dpo_narpes):
    proposal = proposal_for(old_client(narpes, counsellor_narpes))
    services.proposal_approve(proposal=proposal, by=dpo_narpes)
    with pytest.raises(Exception) as error:
        services.proposal_approve(proposal=proposal, by=dpo_narpes)
    assert error.value.code == "decided"
    assert DestructionRecord.objects.count() == 1


def test_anonymous_contacts_and_the_read_log_go_by_their_cut_off_but_a_held_clients_reads_stay(
    narpes, counsellor_narpes, dpo_narpes
):
    Contact.objects.create(organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2021-06-14"))
    recent = Contact.objects.create(
        organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2021-06-16")
    )
    held = old_client(narpes, counsellor_narpes, last_contact="2026-01-01")
    free = old_client(narpes, counsellor_narpes, last_contact="2026-01-01")
    for person in (held, free):
        ReadEvent.objects.create(user=counsellor_narpes, client=person, action="detail")
    ReadEvent.objects.update(at=at("2021-01-01"))
    services.hold_place(client=held, by=dpo_narpes, reason="Audit", held_from=TODAY)
    jobs.propose_due()
    for proposal in RetentionProposal.objects.filter(status=Status.PROPOSED):
        services.proposal_approve(proposal=proposal, by=dpo_narpes)
    assert list(Contact.objects.filter(client__isnull=True)) == [recent]
    assert list(ReadEvent.objects.values_list("client_id", flat=True)) == [held.pk]
    counts = dict(DestructionRecord.objects.values_list("record_type", "record_count"))
    assert counts == {"anonymous_contact": 1, "read_log": 1}


def test_finished_export_jobs_are_installation_wide_and_decided_by_the_superuser(client, narpes, dpo_narpes):
    admin = User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    old = ExportJob.objects.create(
        user=dpo_narpes, kind="clients", file_format="csv", language="fi", status="done"
    )
    ExportJob.objects.filter(pk=old.pk).update(finished_at=at("2026-05-01"))
    ExportJob.objects.create(
        user=dpo_narpes, kind="clients", file_format="csv", language="fi", status="running"
    )
    jobs.propose_due()
    proposal = RetentionProposal.objects.get(record_type=RecordType.EXPORT_JOB)
    assert proposal.organisation is None and proposal.record_count == 1
    client.force_login(dpo_narpes)
    assert decide(client, [proposal]).status_code == 404
    client.force_login(admin)
    decide(client, [proposal])
    assert list(ExportJob.objects.values_list("status", flat=True)) == ["running"]


def test_the_page_shows_a_bulk_proposal_with_its_count_and_cut_off(
    client, narpes, counsellor_narpes, dpo_narpes
):
    for _i in range(3):
        Contact.objects.create(
            organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2020-01-01")
        )
    jobs.propose_due()
    client.force_login(dpo_narpes)
    page = client.get(reverse("retention:proposals")).content.decode()
    with translation.override("fi"):
        label = str(RecordType.ANONYMOUS_CONTACT.label)
        expected = translation.gettext("%(count)s from before %(before)s") % {
            "count": 3,
            "before": "15.6.2021",
        }
    assert label in page and expected in page


def test_finished_webhook_deliveries_go_six_months_after_finishing(narpes, counsellor_narpes):
    from hemkommun.webhooks.models import Delivery

    from ..webhooks.conftest import subscribe

    admin = User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    subscription = subscribe(counsellor_narpes, "https://partner.example.org/hook")

    def delivery(status, delivered_on):
        row = Delivery.objects.create(
            subscription=subscription, event_type="client.created", payload={}, status=status
        )
        Delivery.objects.filter(pk=row.pk).update(
            delivered_at=at(delivered_on), last_attempt_at=at(delivered_on)
        )
        return row

    delivery("delivered", "2025-12-14")
    kept = [delivery("delivered", "2025-12-16"), delivery("pending", "2025-01-01")]
    jobs.propose_due()
    proposal = RetentionProposal.objects.get(record_type=RecordType.WEBHOOK_DELIVERY)
    services.proposal_approve(proposal=proposal, by=admin)
    assert set(Delivery.objects.all()) == set(kept)
    assert DestructionRecord.objects.get(proposal=proposal).record_count == 1
