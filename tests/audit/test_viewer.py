"""The audit log page: filters, hostile filters, masked identity codes, paging, the logging of
its own reading, and the chain's verification shown to the officer."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from hemkommun.clients.models import Client
from hemkommun.core.audit import MASK, record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client
from .conftest import IDENTITY_CODE

pytestmark = pytest.mark.django_db
URL = "/audit/"


def rows(client, **params) -> list:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["rows"]


@pytest.fixture
def officer(client, dpo_narpes):
    client.force_login(dpo_narpes)
    return dpo_narpes


def test_reads_and_changes_together_newest_first(client, officer, log, narpes_client):
    shown = rows(client, person=str(narpes_client.pk))
    kinds = {row.seal.kind for row in shown}
    assert kinds == {"read", "write"}
    times = [row.seal.at for row in shown]
    assert times == sorted(times, reverse=True)
    created = [row for row in shown if row.seal.action == "create" and row.seal.kind == "write"]
    assert any(row.subject.endswith(narpes_client.display_name) for row in created)


def test_filter_by_client_number_and_by_name(client, officer, log, narpes, narpes_client, counsellor_narpes):
    other = make_client(narpes, by=counsellor_narpes, family_name="Andersson", given_names="Bo")
    record_reads(user=counsellor_narpes, client_ids=[other.pk], action=ReadEvent.Action.DETAIL)
    by_number = rows(client, person=str(other.pk))
    assert by_number and {row.client_number for row in by_number} == {other.pk}
    by_name = rows(client, person="andersSON")
    # The name finds the same entries, and now also the officer's own look at them just before.
    assert {row.seal.pk for row in by_number} < {row.seal.pk for row in by_name}
    assert {row.client_number for row in by_name} == {other.pk}
    assert {row.staff for row in by_name} - {row.staff for row in by_number} == {officer.get_full_name()}


def test_filter_by_staff_member(client, officer, log, counsellor_narpes, counsellor_vasa):
    shown = rows(client, staff=str(counsellor_narpes.pk), action="read")
    assert shown and {row.seal.actor_id for row in shown} == {counsellor_narpes.pk}


def test_filter_by_action(client, officer, log):
    assert {row.seal.action for row in rows(client, action="search")} == {"search"}
    assert {row.seal.kind for row in rows(client, action="write")} == {"write"}
    assert {row.seal.action for row in rows(client, action="create")} == {"create"}


def test_filter_by_period(client, officer, narpes_client, counsellor_narpes):
    long_ago = timezone.now() - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        record_reads(user=counsellor_narpes, client_ids=[narpes_client.pk], action=ReadEvent.Action.EXPORT)
    today = timezone.localdate()
    recent = rows(client, action="export", date_from=(today - timedelta(days=30)).isoformat())
    assert recent == []
    old = rows(client, action="export", date_to=(today - timedelta(days=300)).isoformat())
    assert len(old) == 1
    day = timezone.localtime(long_ago).date().isoformat()
    assert len(rows(client, action="export", date_from=day, date_to=day)) == 1


def test_a_period_ending_before_it_starts_is_refused(client, officer, log):
    response = client.get(URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200 and "rows" not in response.context
    with translation.override("fi"):
        expected = gettext("The end of the period is before its start.")
        assert (
            expected in client.get(URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"}).content.decode()
        )


def test_another_organisations_client_is_as_unknown_as_no_client(client, officer, log, vasa_client):
    with translation.override("fi"):
        message = gettext("No client of your organisation has this number.")
        for number in (vasa_client.pk, 10**9):
            response = client.get(URL, {"person": str(number)})
            page = response.content.decode()
            assert message in page and "rows" not in response.context
            assert "Vasabo" not in page and "Hemlig" not in page
        by_name = client.get(URL, {"person": "Vasabo"})
        assert gettext("No client of your organisation has this name.") in by_name.content.decode()
        assert "rows" not in by_name.context


def test_another_organisations_staff_member_is_refused_without_a_name(client, officer, log, counsellor_vasa):
    counsellor_vasa.first_name, counsellor_vasa.last_name = "Vera", "Vasastaff"
    counsellor_vasa.save()
    response = client.get(URL, {"staff": str(counsellor_vasa.pk)})
    assert "rows" not in response.context and response.context["form"].errors["staff"]
    # Vasa's counsellor appears by name only in entries about Närpes' clients, never in the menu.
    offered = dict(response.context["form"].fields["staff"].choices)
    assert str(counsellor_vasa.pk) not in offered


@pytest.mark.parametrize(
    "params",
    [
        {"person": "<script>alert(1)</script>"},
        {"person": "' OR 1=1 --"},
        {"person": "1; DROP TABLE core_readevent"},
        {"person": "9" * 40},
        {"person": str(2**63)},
        {"person": "x" * 5000},
        {"person": "a\x00b"},
        {"staff": "9" * 40},
        {"staff": "1 OR 1=1"},
        {"staff": "<b>1</b>"},
        {"date_from": "99999-01-01"},
        {"date_to": "2026-02-30"},
        {"date_from": "'; SELECT 1"},
        {"action": "<img src=x onerror=alert(1)>"},
        {"action": "read' OR '1'='1"},
        {"page": "9" * 40},
        {"page": "-1"},
        {"page": "<svg>"},
    ],
)
def test_hostile_filters_give_a_message_never_a_500(client, officer, log, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "<script>alert" not in page
        and "<img src=x" not in page
        and "<b>1</b>" not in page
        and "<svg>" not in page
    )
    if "page" not in params:
        assert "rows" not in response.context or response.context["rows"] == []


def test_identity_codes_never_appear_in_clear(client, officer, coded_client, counsellor_narpes):
    # The search address of a read holds the code; the write log holds the code's creation.
    record_reads(
        user=counsellor_narpes,
        client_ids=[coded_client.pk],
        action=ReadEvent.Action.SEARCH,
        context=f"/clients/?q={IDENTITY_CODE}&other={IDENTITY_CODE.replace('-', '%2B')}",
    )
    response = client.get(URL, {"person": str(coded_client.pk)})
    page = response.content.decode()
    assert IDENTITY_CODE not in page and IDENTITY_CODE.replace("-", "%2B") not in page
    assert "308T" not in page
    assert MASK in page
    written = [row for row in response.context["rows"] if row.seal.kind == "write"]
    with translation.override("fi"):
        field = str(Client._meta.get_field("identity_code").verbose_name)
    assert any(f"{field}: None → {MASK}" in row.details for row in written)


def test_reading_the_log_is_logged(client, officer, log, narpes_client, vasa_client):
    before = ReadEvent.objects.filter(user=officer).count()
    client.get(URL, {"action": "read"})
    logged = ReadEvent.objects.filter(user=officer, action=ReadEvent.Action.LIST)
    # The own client whose entries were shown; the other organisation's client was not shown by name.
    assert set(logged.values_list("client_id", flat=True)) == {narpes_client.pk}
    assert logged.count() == before + 1
    assert logged.get().context.startswith("/audit/")


def test_the_log_is_paged(client, officer, narpes_client, counsellor_narpes):
    for _ in range(60):
        record_reads(user=counsellor_narpes, client_ids=[narpes_client.pk], action=ReadEvent.Action.API)
    first = client.get(URL, {"action": "api"})
    assert len(first.context["rows"]) == 50 and "page=2" in first.content.decode()
    second = client.get(URL, {"action": "api", "page": "2"})
    assert len(second.context["rows"]) == 10
    assert not {r.seal.pk for r in first.context["rows"]} & {r.seal.pk for r in second.context["rows"]}


def test_a_removed_entry_shows_as_missing_and_the_verification_names_the_break(client, officer, log):
    event = ReadEvent.objects.filter(action=ReadEvent.Action.DETAIL).order_by("pk").first()
    event.delete()
    assert client.get("/audit/verify/").context["report"].breaks[0].reason == "entry_removed"
    with translation.override("fi"):
        page = client.get("/audit/verify/").content.decode()
        assert 'id="chain-broken"' in page
        assert gettext("The entry of this seal was removed.") in page
        shown = client.get(URL, {"action": "detail"})
        assert gettext("The entry is missing: see the verification of the chain.") in shown.content.decode()


def test_an_intact_chain_says_so(client, officer, log):
    response = client.get("/audit/verify/")
    assert response.context["report"].ok and 'id="chain-intact"' in response.content.decode()


def test_the_officers_own_staff_are_offered_in_the_menu(client, officer, narpes, counsellor_narpes):
    former = UserFactory.with_role(Role.CASE_WORKER, narpes, first_name="Former", last_name="Worker")
    former.memberships.update(valid_until=timezone.localdate() - timedelta(days=400))
    offered = dict(client.get(URL).context["form"].fields["staff"].choices)
    assert str(counsellor_narpes.pk) in offered and str(former.pk) in offered


def test_the_page_costs_the_same_queries_for_more_entries(client, officer, narpes, counsellor_narpes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [make_client(narpes, by=counsellor_narpes, family_name=f"Many{n}") for n in range(8)]
    record_reads(user=counsellor_narpes, client_ids=[people[0].pk], action=ReadEvent.Action.DETAIL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.get(URL)  # the session and the like, once
    few = queries()
    record_reads(user=counsellor_narpes, client_ids=[p.pk for p in people], action=ReadEvent.Action.LIST)
    assert queries() == few
