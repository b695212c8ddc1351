"""The write log (django-auditlog) and the read log (ReadEvent) for client data."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from hemkommun.access.models import Share
from hemkommun.access.services import share_create
from hemkommun.clients import services
from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client, make_share

CODE = "131052-308T"  # the example code of the Population Register Centre
OTHER_CODE = "010185-123B"  # made up but valid: see test_other_code_is_valid


@pytest.fixture
def coordinator_narpes(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes", first_name="Kaisa")


@pytest.fixture
def dpo_narpes(narpes):
    return UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes, username="dpo.narpes")


def client_entries(client: Client):
    return LogEntry.objects.get_for_object(client).order_by("timestamp", "pk")


def assert_fully_masked(changes: dict, code: str) -> None:
    old, new = changes["identity_code"]
    for value in (old, new):
        assert not re.search(r"\d", value), f"a digit of the identity code survived: {value!r}"
    assert code not in str(changes)
    assert code[:6] not in str(changes)


def test_other_code_is_valid():
    from stdnum.fi import hetu

    assert hetu.is_valid(OTHER_CODE)


# --- writes ------------------------------------------------------------------------------------


def test_create_is_logged_with_actor_and_masked_identity_code(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, identity_code=CODE, birth_year=1952)
    entry = client_entries(client).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == counsellor_narpes
    assert entry.changes_dict["family_name"] == ["None", "Virtanen"]
    assert_fully_masked(entry.changes_dict, CODE)
    assert CODE not in entry.changes_text and "308" not in (entry.changes_text or "")
    assert entry.serialized_data is None or CODE not in str(entry.serialized_data)


def test_update_is_logged_with_old_and_new_values(narpes_client, counsellor_narpes):
    services.client_update(
        client=narpes_client, by=counsellor_narpes, data={"family_name": "Järvi", "phone": "040 123 4567"}
    )
    entry = client_entries(narpes_client).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == counsellor_narpes
    assert entry.changes_dict["family_name"] == ["Järvinen", "Järvi"]
    assert entry.changes_dict["phone"] == ["", "040 123 4567"]


def test_change_of_identity_code_masks_old_and_new(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, identity_code=CODE)
    services.client_update(client=client, by=counsellor_narpes, data={"identity_code": OTHER_CODE})
    entry = client_entries(client).last()
    assert_fully_masked(entry.changes_dict, CODE)
    assert_fully_masked(entry.changes_dict, OTHER_CODE)


def test_edit_page_write_is_logged_with_the_signed_in_actor(client, narpes_client, coordinator_narpes):
    client.force_login(coordinator_narpes)
    response = client.post(
        reverse("clients:edit", args=[narpes_client.pk]),
        {"family_name": "Järvinen-Koski", "given_names": "Oleksandr", "identity_code": CODE},
    )
    assert response.status_code == 302
    entry = client_entries(narpes_client).last()
    assert entry.actor == coordinator_narpes
    assert entry.changes_dict["family_name"] == ["Järvinen", "Järvinen-Koski"]
    assert_fully_masked(entry.changes_dict, CODE)
    # The history on the profile shows the change, and the mask, not the code.
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert "Järvinen-Koski" in page
    assert CODE not in page.split('id="history-heading"')[1]


def test_share_creates_an_audit_entry(narpes_client, vasa, coordinator_narpes):
    share = share_create(
        by=coordinator_narpes,
        client=narpes_client,
        organisation=vasa,
        purpose="Employment services referral",
        scope=Share.Scope.BASIC,
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
        consent_given="written",
    )
    entry = LogEntry.objects.get_for_object(share).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == coordinator_narpes
    assert entry.changes_dict["purpose"][1] == "Employment services referral"


def test_share_through_the_page_is_logged(client, narpes_client, vasa, coordinator_narpes):
    client.force_login(coordinator_narpes)
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    data = {"organisation": vasa.pk, "purpose": "Case team", "scope": "basic", "valid_until": until}
    data["consent_given"] = "oral"
    assert client.post(reverse("clients:share", args=[narpes_client.pk]), data).status_code == 302
    share = Share.objects.get(client=narpes_client)
    assert LogEntry.objects.get_for_object(share).get().actor == coordinator_narpes


# --- reads -------------------------------------------------------------------------------------


def test_detail_read_is_logged_with_basis(client, narpes_client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    client.get(reverse("clients:detail", args=[narpes_client.pk]))
    event = ReadEvent.objects.get()
    assert (event.user, event.client, event.action) == (counsellor_narpes, narpes_client, "detail")
    assert event.basis == ReadEvent.Basis.OWN_ORGANISATION
    assert event.share is None


def test_detail_read_through_a_share_names_the_share(client, narpes_client, vasa, counsellor_vasa):
    share = make_share(narpes_client, vasa)
    client.force_login(counsellor_vasa)
    assert client.get(reverse("clients:detail", args=[narpes_client.pk])).status_code == 200
    event = ReadEvent.objects.get()
    assert event.user == counsellor_vasa
    assert (event.basis, event.share) == (ReadEvent.Basis.SHARE, share)
    assert "Referral for tests" in event.basis_text()


def test_refused_detail_is_not_logged_as_a_read(client, narpes_client, counsellor_vasa):
    client.force_login(counsellor_vasa)
    assert client.get(reverse("clients:detail", args=[narpes_client.pk])).status_code == 404
    assert not ReadEvent.objects.exists()


def test_list_logs_one_read_per_client_on_the_page(client, narpes, counsellor_narpes):
    clients = [make_client(narpes, by=counsellor_narpes, family_name=f"Listed{n:02d}") for n in range(30)]
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:list"))
    shown = list(response.context["page"].object_list)
    assert len(shown) == 25
    events = ReadEvent.objects.filter(user=counsellor_narpes)
    assert events.count() == 25
    assert set(events.values_list("action", flat=True)) == {"list"}
    assert set(events.values_list("client_id", flat=True)) == {c.pk for c in shown}
    # The next page logs the other five.
    client.get(reverse("clients:list"), {"page": 2})
    assert set(ReadEvent.objects.values_list("client_id", flat=True)) == {c.pk for c in clients}


def test_search_logs_only_the_results(client, narpes, narpes_client, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen")
    client.force_login(counsellor_narpes)
    client.get(reverse("clients:list"), {"q": "jarvinen"})
    event = ReadEvent.objects.get()
    assert (event.client, event.action) == (narpes_client, "search")
    assert "jarvinen" in event.context


def test_edit_page_read_is_logged(client, narpes_client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    assert client.get(reverse("clients:edit", args=[narpes_client.pk])).status_code == 200
    event = ReadEvent.objects.get()
    assert (event.client, event.user, event.action, event.context) == (
        narpes_client,
        counsellor_narpes,
        "detail",
        "edit",
    )


@pytest.mark.parametrize("viewer", ["coordinator_narpes", "dpo_narpes"])
def test_coordinator_and_dpo_see_who_has_looked(client, request, narpes_client, counsellor_narpes, viewer):
    counsellor_narpes.first_name, counsellor_narpes.last_name = "Anna", "Looker"
    counsellor_narpes.save()
    client.force_login(counsellor_narpes)
    client.get(reverse("clients:detail", args=[narpes_client.pk]))
    client.force_login(request.getfixturevalue(viewer))
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert 'id="read-log"' in page
    read_log = page.split('id="read-log"')[1]
    assert "Anna Looker" in read_log


def test_counsellor_does_not_see_who_has_looked(client, narpes_client, counsellor_narpes, coordinator_narpes):
    client.force_login(coordinator_narpes)
    client.get(reverse("clients:detail", args=[narpes_client.pk]))
    client.force_login(counsellor_narpes)
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert 'id="read-log"' not in page
    assert "Kaisa" not in page


def test_recipient_coordinator_does_not_see_who_has_looked(client, narpes_client, vasa):
    make_share(narpes_client, vasa)
    coordinator_vasa = UserFactory.with_role(Role.COORDINATOR, vasa, username="coordinator.vasa")
    client.force_login(coordinator_vasa)
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert 'id="read-log"' not in page


def test_welfare_social_worker_read_is_logged_for_the_holder(client, narpes_client, coordinator_narpes):
    welfare = OrganisationFactory.welfare_area()
    make_share(narpes_client, welfare, scope="health")
    worker = UserFactory.with_role(
        Role.SOCIAL_WORKER, welfare, username="sw", first_name="Sara", last_name="Social"
    )
    client.force_login(worker)
    client.get(reverse("clients:detail", args=[narpes_client.pk]))
    client.force_login(coordinator_narpes)
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert "Sara Social" in page.split('id="read-log"')[1]
