"""Who may see and decide retention proposals, and who may place and lift legal holds: every
role of the organisation, the officer of another one, the superuser, and hostile input."""

import pytest
from django.urls import reverse
from django.utils import translation

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Role, User
from hemkommun.retention.models import DestructionRecord, LegalHold, RetentionProposal

from ..factories import UserFactory
from .conftest import TODAY
from .helpers import decide, old_client, proposal_for, shown_messages

NOT_OFFICERS = [role for role in Role if role != Role.DATA_PROTECTION_OFFICER]
HOLD_ROLES = {Role.DATA_PROTECTION_OFFICER, Role.COORDINATOR}


@pytest.fixture
def proposal(narpes, counsellor_narpes):
    return proposal_for(old_client(narpes, counsellor_narpes, family_name="Hakimi"))


def test_the_officer_sees_the_proposals_of_the_organisation(client, dpo_narpes, proposal):
    client.force_login(dpo_narpes)
    response = client.get(reverse("retention:proposals"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{proposal.pk}"' in page
    assert "Hakimi" not in page, "client numbers only"
    assert "906/2019" in page, "the rules are shown with their source"
    with translation.override("fi"):
        assert translation.gettext("Retention") in page  # the link in the menu


@pytest.mark.parametrize("role", NOT_OFFICERS)
def test_every_other_role_is_refused(client, narpes, role, proposal):
    client.force_login(UserFactory.with_role(role, narpes))
    for name in ("retention:proposals", "retention:destroyed"):
        assert client.get(reverse(name)).status_code == 403
    assert decide(client, [proposal]).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == RetentionProposal.Status.PROPOSED
    assert 'href="/retention/"' not in client.get(reverse("home"), follow=True).content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, proposal):
    response = client.get(reverse("retention:proposals"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_another_organisations_officer_does_not_find_the_proposal(client, dpo_vasa, proposal):
    client.force_login(dpo_vasa)
    assert f'value="{proposal.pk}"' not in client.get(reverse("retention:proposals")).content.decode()
    assert decide(client, [proposal]).status_code == 404
    assert decide(client, [proposal], decision="reject", reason="x").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == RetentionProposal.Status.PROPOSED


def test_the_superuser_decides_no_organisations_proposals(client, proposal):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1"))
    assert client.get(reverse("retention:proposals")).status_code == 200
    assert decide(client, [proposal]).status_code == 404


def test_destruction_records_are_shown_to_the_organisations_officer_only(
    client, dpo_narpes, dpo_vasa, proposal
):
    client.force_login(dpo_narpes)
    decide(client, [proposal])
    record = DestructionRecord.objects.get()
    page = client.get(reverse("retention:destroyed")).content.decode()
    assert f"{record.client_number}" in page and "906/2019" in page
    client.force_login(dpo_vasa)
    assert "906/2019" not in client.get(reverse("retention:destroyed")).content.decode()


@pytest.mark.parametrize(
    "ids",
    [["abc"], ["-1"], ["1 OR 1=1"], ["99999999999999999999999"], ["1e3"], ["１"], [""], ["999999"]],
)
def test_hostile_proposal_ids_are_not_found_and_nothing_happens(client, dpo_narpes, proposal, ids):
    client.force_login(dpo_narpes)
    response = client.post(reverse("retention:decide"), {"decision": "approve", "proposals": ids})
    assert response.status_code == 404
    assert not DestructionRecord.objects.exists()


def test_a_hostile_decision_or_a_huge_reason_is_refused_with_a_message(client, dpo_narpes, proposal):
    client.force_login(dpo_narpes)
    response = decide(client, [proposal], decision="destroy-everything")
    assert response.status_code == 200 and shown_messages(response)
    response = decide(client, [proposal], decision="reject", reason="x" * 301)
    assert response.status_code == 200 and shown_messages(response)
    proposal.refresh_from_db()
    assert proposal.status == RetentionProposal.Status.PROPOSED


def test_too_many_proposals_at_once_are_refused(client, dpo_narpes, proposal):
    client.force_login(dpo_narpes)
    ids = [str(proposal.pk)] * 101
    response = client.post(
        reverse("retention:decide"), {"decision": "approve", "proposals": ids}, follow=True
    )
    assert response.status_code == 200 and shown_messages(response)
    assert not DestructionRecord.objects.exists()


# --- legal holds -----------------------------------------------------------------------------------------


def place(http, client_number, reason="Complaint to the Ombudsman", **extra):
    data = {"client_number": client_number, "reason": reason, "held_from": TODAY.isoformat(), **extra}
    return http.post(reverse("retention:holds"), data)


@pytest.mark.parametrize("role", list(Role))
def test_holds_are_placed_by_officers_and_coordinators_only(client, narpes, counsellor_narpes, role):
    person = old_client(narpes, counsellor_narpes)
    client.force_login(UserFactory.with_role(role, narpes))
    response = place(client, person.pk)
    if role in HOLD_ROLES:
        assert response.status_code == 302
        hold = LegalHold.objects.get(client=person)
        assert hold.placed_by.memberships.get().role == role
        assert hold.history.count() == 1, "placing is in the change log"
    else:
        assert response.status_code == 403 and not LegalHold.objects.exists()


def test_only_the_officer_lifts_a_hold(client, narpes, counsellor_narpes, dpo_narpes):
    person = old_client(narpes, counsellor_narpes)
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    client.force_login(coordinator)
    place(client, person.pk)
    hold = LegalHold.objects.get()
    assert client.post(reverse("retention:hold_lift", args=[hold.pk])).status_code == 403
    client.force_login(dpo_narpes)
    assert client.post(reverse("retention:hold_lift", args=[hold.pk])).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == dpo_narpes and hold.history.count() == 2


def test_a_hold_of_another_organisation_is_not_found(client, narpes, counsellor_narpes, dpo_vasa, dpo_narpes):
    person = old_client(narpes, counsellor_narpes)
    client.force_login(dpo_narpes)
    place(client, person.pk)
    client.force_login(dpo_vasa)
    hold = LegalHold.objects.get()
    assert client.post(reverse("retention:hold_lift", args=[hold.pk])).status_code == 404
    response = place(client, person.pk)
    assert response.status_code == 200
    with translation.override("fi"):
        assert (
            translation.gettext("Your organisation holds no client with this number.")
            in response.content.decode()
        )
    assert LegalHold.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"client_number": "abc"},
        {"client_number": "-5"},
        {"client_number": "9" * 30},
        {"reason": ""},
        {"reason": "x" * 301},
        {"held_from": "2026-13-45"},
        {"held_until": "2026-01-01"},  # before the start
    ],
)
def test_hostile_hold_input_gives_a_message_and_no_hold(client, narpes, counsellor_narpes, dpo_narpes, data):
    person = old_client(narpes, counsellor_narpes)
    client.force_login(dpo_narpes)
    response = place(client, data.pop("client_number", person.pk), **data)
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_reason_with_markup_is_shown_as_text(client, narpes, counsellor_narpes, dpo_narpes):
    person = old_client(narpes, counsellor_narpes)
    client.force_login(dpo_narpes)
    place(client, person.pk, reason="<script>alert(1)</script>")
    page = client.get(reverse("retention:holds")).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert Client.objects.filter(pk=person.pk).exists()
