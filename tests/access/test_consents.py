"""Consent and the legal basis per purpose (issue 8, item 3): shares, referrals and record
transfers check them; a withdrawn consent ends the shares that rested on it."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from hemkommun.access import consents, policy
from hemkommun.access.models import Consent, LegalBasis, Purpose, Share
from hemkommun.access.services import share_create
from hemkommun.casework.models import Referral
from hemkommun.casework.services import referrals
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client
from ..page_forms import assert_marked, invalid_ids, page_elements

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.narpes")


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def holder(narpes, worker):
    return make_client(narpes, by=worker, family_name="Haddad", given_names="Amal")


def codes(excinfo) -> set[str]:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def record(by, client, purpose=Purpose.CASE_TEAM, scope="basic", **extra) -> Consent:
    extra.setdefault("form", Consent.Form.WRITTEN)
    extra.setdefault("given_on", TODAY())
    return consents.consent_record(by=by, client=client, purpose=purpose, scope=scope, **extra)


def share(by, client, organisation, scope="basic", days=30, **extra) -> Share:
    until = TODAY() + datetime.timedelta(days=days)
    return share_create(
        by=by,
        client=client,
        organisation=organisation,
        purpose="Case team",
        scope=scope,
        valid_until=until,
        **extra,
    )


# --- shares ------------------------------------------------------------------------------------


def test_a_share_without_consent_is_refused_and_nothing_is_written(worker, holder, vasa):
    with pytest.raises(ValidationError) as excinfo:
        share(worker, holder, vasa)
    assert codes(excinfo) == {"consent_missing"}
    assert not Share.objects.exists()


def test_a_share_rests_on_the_consent_in_force(worker, holder, vasa):
    consent = record(worker, holder)
    made = share(worker, holder, vasa)
    assert (made.consent, made.processing) == (consent, Purpose.CASE_TEAM)


def test_consent_given_with_the_share_is_recorded_with_it(worker, holder, vasa):
    made = share(worker, holder, vasa, consent_given=Consent.Form.ORAL)
    assert made.consent.form == Consent.Form.ORAL and made.consent.recorded_by == worker


def test_consent_to_basic_data_does_not_cover_health_data(worker, holder, welfare):
    record(worker, holder, scope="basic")
    with pytest.raises(ValidationError) as excinfo:
        share(worker, holder, welfare, scope="health")
    assert codes(excinfo) == {"consent_missing"}
    record(worker, holder, scope="health")
    assert share(worker, holder, welfare, scope="health").consent.scope == "health"


def test_consent_for_another_purpose_does_not_count(worker, holder, vasa):
    record(worker, holder, purpose=Purpose.REFERRAL)
    with pytest.raises(ValidationError):
        share(worker, holder, vasa)


def test_a_share_may_not_outlast_the_consent(worker, holder, vasa):
    record(worker, holder, valid_until=TODAY() + datetime.timedelta(days=10))
    with pytest.raises(ValidationError) as excinfo:
        share(worker, holder, vasa, days=30)
    assert codes(excinfo) == {"share_after_consent"}
    assert share(worker, holder, vasa, days=10).consent is not None


# --- withdrawal --------------------------------------------------------------------------------


def test_withdrawing_ends_the_shares_that_rested_on_it_and_only_those(worker, holder, vasa, welfare):
    vasa_worker = UserFactory.with_role(Role.CASE_WORKER, vasa)
    basic = record(worker, holder, scope="basic")
    health = record(worker, holder, scope="health")
    to_vasa = share(worker, holder, vasa)  # the newest consent covering basic data: health
    assert to_vasa.consent == health
    assert policy.can_view_client(vasa_worker, holder)
    ended = consents.consent_withdraw(by=worker, consent=health, note="Changed her mind")
    assert ended == [to_vasa]
    to_vasa.refresh_from_db()
    assert to_vasa.revoked_at is not None
    assert not policy.can_view_client(vasa_worker, holder)
    basic.refresh_from_db()
    assert basic.withdrawn_at is None  # the other consent stands
    health.refresh_from_db()
    assert (health.withdrawn_by, health.withdrawal_note) == (worker, "Changed her mind")


def test_withdrawing_twice_is_refused(worker, holder):
    consent = record(worker, holder)
    consents.consent_withdraw(by=worker, consent=consent)
    with pytest.raises(ValidationError) as excinfo:
        consents.consent_withdraw(by=worker, consent=consent)
    assert codes(excinfo) == {"consent_withdrawn"}


def test_a_withdrawn_or_expired_consent_is_not_in_force(worker, holder, vasa, time_machine):
    record(worker, holder, valid_until=TODAY() + datetime.timedelta(days=5))
    time_machine.move_to(timezone.now() + datetime.timedelta(days=6))
    with pytest.raises(ValidationError):
        share(worker, holder, vasa)


# --- referrals ---------------------------------------------------------------------------------


def send(by, client, to, **extra) -> Referral:
    return referrals.referral_send(
        by=by, client=client, kind=Referral.Kind.SOCIAL_CARE, to_organisation=to, reason="Assess", **extra
    )


def test_a_referral_without_consent_is_refused(worker, holder, welfare):
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, welfare)
    assert codes(excinfo) == {"consent_missing"}
    assert not Referral.objects.exists() and not Consent.objects.exists()


def test_an_accepted_referral_opens_a_share_on_the_consent_and_withdrawal_ends_it(worker, holder, welfare):
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    referral = send(worker, holder, welfare, consent_given=Consent.Form.WRITTEN)
    consent = Consent.objects.get(client=holder)
    assert (consent.purpose, consent.scope) == (Purpose.REFERRAL, "basic")
    referrals.referral_accept(by=social_worker, referral=referral)
    referral.refresh_from_db()
    assert referral.share.consent == consent and referral.share.processing == Purpose.REFERRAL
    consents.consent_withdraw(by=worker, consent=consent)
    referral.share.refresh_from_db()
    assert referral.share.revoked_at is not None
    assert not policy.can_view_client(social_worker, holder)


def test_a_referral_cannot_be_accepted_after_the_consent_is_withdrawn(worker, holder, welfare):
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    referral = send(worker, holder, welfare, consent_given=Consent.Form.ORAL)
    consents.consent_withdraw(by=worker, consent=Consent.objects.get())
    with pytest.raises(ValidationError) as excinfo:
        referrals.referral_accept(by=social_worker, referral=referral)
    assert codes(excinfo) == {"consent_missing"}
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT and referral.share is None


def test_a_statutory_basis_from_a_day_on_needs_no_consent(worker, holder, welfare):
    """Legal bases are law data: a row from today on replaces the consent rule for referrals."""
    LegalBasis.objects.create(
        purpose=Purpose.REFERRAL, kind=LegalBasis.Kind.LEGAL_OBLIGATION, valid_from=TODAY(), source="Test act"
    )
    referral = send(worker, holder, welfare)
    assert referral.pk and not Consent.objects.exists()
    with pytest.raises(ValidationError) as excinfo:
        record(worker, holder, purpose=Purpose.REFERRAL)
    assert codes(excinfo) == {"consent_purpose"}


# --- recording: rules and bad input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"given_on": datetime.date(2999, 1, 1)}, "consent_date"),
        ({"valid_until": datetime.date(2001, 1, 1)}, "consent_valid_until"),
        ({"form": "telepathy"}, "consent_form"),
        ({"purpose": "national_system"}, "consent_purpose"),  # rests on law: no consent asked
        ({"purpose": "'; DROP TABLE access_consent; --"}, "consent_purpose"),
        ({"scope": "<script>"}, "consent_scope"),
    ],
)
def test_bad_consents_are_refused_with_a_code(worker, holder, extra, code):
    with pytest.raises(ValidationError) as excinfo:
        record(worker, holder, **extra)
    assert code in codes(excinfo)
    assert not Consent.objects.exists()


def test_a_counsellor_records_a_health_consent_the_share_rule_stays(narpes, holder, welfare):
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    assert record(counsellor, holder, scope="health").scope == "health"
    with pytest.raises(ValidationError) as excinfo:  # sharing is not a counsellor's to do
        share(counsellor, holder, welfare, scope="health")
    assert codes(excinfo) == {"share_forbidden"}


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.COUNSELLOR, True),
        (Role.CASE_WORKER, True),
        (Role.COORDINATOR, True),
        (Role.SOCIAL_WORKER, True),
        (Role.EMPLOYMENT_OFFICER, True),
        (Role.ADMINISTRATOR, False),
        (Role.DATA_PROTECTION_OFFICER, False),
        (Role.REPORTING, False),
    ],
)
def test_who_records_consents(narpes, holder, role, may):
    user = UserFactory.with_role(role, narpes)
    assert policy.can_record_consent(user, holder) is may
    if not may:
        with pytest.raises(ValidationError) as excinfo:
            record(user, holder)
        assert codes(excinfo) == {"consent_forbidden"}


def test_another_municipality_records_nothing(worker, holder, vasa):
    vasa_worker = UserFactory.with_role(Role.CASE_WORKER, vasa)
    consent = record(worker, holder)
    with pytest.raises(ValidationError):
        record(vasa_worker, holder)
    with pytest.raises(ValidationError):
        consents.consent_withdraw(by=vasa_worker, consent=consent)


# --- the client page ---------------------------------------------------------------------------


def test_record_and_withdraw_through_the_client_page(client, worker, holder):
    client.force_login(worker)
    data = {"purpose": "case_team", "scope": "basic", "form": "oral", "given_on": TODAY().isoformat()}
    response = client.post(reverse("clients:consent_create", args=[holder.pk]), data)
    assert response.status_code == 302
    consent = Consent.objects.get()
    page = client.get(reverse("clients:detail", args=[holder.pk])).content.decode()
    with translation.override("fi"):
        assert translation.gettext("Withdraw") in page
    url = reverse("clients:consent_withdraw", args=[holder.pk, consent.pk])
    assert client.post(url, {"note": "<b>no</b>"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = client.get(reverse("clients:detail", args=[holder.pk])).content.decode()
    assert "<b>no</b>" not in page and "&lt;b&gt;no&lt;/b&gt;" in page


def fi(message: str, **values) -> str:
    with translation.override("fi"):
        text = translation.gettext(message)
        return text % {name: str(value) for name, value in values.items()} if values else text


def test_a_refused_consent_shows_the_page_again_with_what_was_typed(client, worker, holder):
    client.force_login(worker)
    reads = ReadEvent.objects.filter(client=holder).count()
    data = {
        "purpose": "case_team",
        "scope": "health",
        "form": "oral",
        "given_on": "2999-01-01",
        "note": SCRIPT,
    }
    response = client.post(reverse("clients:consent_create", args=[holder.pk]), data)
    assert response.status_code == 400 and not Consent.objects.exists()
    content = response.content.decode()
    assert SCRIPT not in content and html.escape(SCRIPT) in content
    elements = page_elements(content)
    assert elements["id_note"].attrs["value"] == SCRIPT
    assert elements["id_given_on"].attrs["value"] == "2999-01-01"
    assert (elements["id_purpose"].selected, elements["id_scope"].selected) == (["case_team"], ["health"])
    assert_marked(content, "id_given_on", fi("A consent cannot be given in the future."))
    assert invalid_ids(content) == {"id_given_on"}  # the household and share forms are fresh
    assert "value" not in elements["share_purpose"].attrs
    assert ReadEvent.objects.filter(client=holder).count() == reads + 1  # the page shown: one read


def test_a_consent_form_that_does_not_parse_marks_each_field(client, worker, holder):
    client.force_login(worker)
    data = {"purpose": SCRIPT, "scope": "basic", "form": "oral", "given_on": "2024-02-30"}
    response = client.post(reverse("clients:consent_create", args=[holder.pk]), data)
    assert response.status_code == 400 and not Consent.objects.exists()
    content = response.content.decode()
    assert SCRIPT not in content  # the refused choice is named in its error, as text
    choice = fi("Select a valid choice. %(value)s is not one of the available choices.", value=SCRIPT)
    assert_marked(content, "id_purpose", choice)
    assert_marked(content, "id_given_on", fi("Enter a valid date."))
    assert page_elements(content)["id_given_on"].attrs["value"] == "2024-02-30"
    assert invalid_ids(content) == {"id_purpose", "id_given_on"}


# --- the share form on the client's page -------------------------------------------------------


def share_post(client, holder, organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "purpose": "Case team",
        "scope": "basic",
        "valid_until": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "consent_given": "oral",
        **overrides,
    }
    return client.post(reverse("clients:share", args=[holder.pk]), data)


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


def test_a_refused_share_shows_the_page_again_with_what_was_typed(client, coordinator, holder, vasa):
    client.force_login(coordinator)
    response = share_post(client, holder, vasa, purpose=SCRIPT, valid_until="2026-02-30")
    assert response.status_code == 400
    assert not Share.objects.exists() and not Consent.objects.exists()
    content = response.content.decode()
    assert SCRIPT not in content and html.escape(SCRIPT) in content
    elements = page_elements(content)
    assert elements["share_purpose"].attrs["value"] == SCRIPT
    assert elements["share_valid_until"].attrs["value"] == "2026-02-30"
    assert elements["share_organisation"].selected == [str(vasa.pk)]
    assert elements["share_consent_given"].selected == ["oral"]
    assert_marked(content, "share_valid_until", fi("Enter a valid date."))
    assert invalid_ids(content) == {"share_valid_until"}  # the household and consent forms are fresh
    assert elements["id_given_on"].attrs["value"] == TODAY().isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"valid_until": "2999-01-01"},
            "share_valid_until",
            "A share must end after today and within two years.",
        ),
        ({"purpose": "   "}, "share_purpose", "This field is required."),
    ],
)
def test_a_share_refused_by_a_rule_marks_its_field(
    client, coordinator, holder, vasa, overrides, field, message
):
    client.force_login(coordinator)
    response = share_post(client, holder, vasa, **overrides)
    assert response.status_code == 400
    assert not Share.objects.exists() and not Consent.objects.exists()
    assert_marked(response.content.decode(), field, fi(message))
    assert invalid_ids(response.content.decode()) == {field}


def test_a_share_without_consent_marks_the_consent_field(client, coordinator, holder, vasa):
    client.force_login(coordinator)
    response = share_post(client, holder, vasa, consent_given="")
    assert response.status_code == 400 and not Share.objects.exists()
    with translation.override("fi"):
        message = translation.gettext(
            "The client's consent to this is not recorded: %(purpose)s, %(scope)s. "
            "Record it on the client's page first."
        ) % {"purpose": Purpose.CASE_TEAM.label, "scope": Share.Scope.BASIC.label.lower()}
    assert_marked(response.content.decode(), "share_consent_given", message)


def test_a_share_refusal_about_no_field_is_shown_on_top_of_the_form(client, coordinator, holder, vasa):
    LegalBasis.objects.filter(purpose=Purpose.CASE_TEAM).delete()
    client.force_login(coordinator)
    response = share_post(client, holder, vasa, consent_given="", purpose="Kept as typed")
    assert response.status_code == 400 and not Share.objects.exists()
    content = response.content.decode()
    elements = page_elements(content)
    with translation.override("fi"):
        message = translation.gettext("No legal basis is recorded for this purpose: %(purpose)s.") % {
            "purpose": Purpose.CASE_TEAM.label
        }
    assert message in elements["form-errors"].text
    assert invalid_ids(content) == set()
    assert elements["share_purpose"].attrs["value"] == "Kept as typed"


def test_the_page_actions_refuse_others(client, narpes, vasa, worker, holder):
    consent = record(worker, holder)
    data = {"purpose": "case_team", "scope": "basic", "form": "oral", "given_on": TODAY().isoformat()}
    create = reverse("clients:consent_create", args=[holder.pk])
    withdraw = reverse("clients:consent_withdraw", args=[holder.pk, consent.pk])
    client.force_login(UserFactory.with_role(Role.CASE_WORKER, vasa))
    assert client.post(create, data).status_code == 404
    assert client.post(withdraw).status_code == 404
    client.force_login(UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes))
    assert client.post(create, data).status_code == 403
    assert client.post(withdraw).status_code == 403
    other = make_client(narpes, by=worker, family_name="Other")
    client.force_login(worker)  # a consent of another client through this client's address
    assert client.post(reverse("clients:consent_withdraw", args=[other.pk, consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and Consent.objects.count() == 1


# --- transfers of the record -------------------------------------------------------------------


def test_a_transfer_needs_consent_the_national_system_does_not(client, worker, holder):
    client.force_login(worker)
    base = reverse("exchange:export", args=[holder.pk])
    response = client.get(base + "?for=transfer", follow=True)
    assert "attachment" not in response.get("Content-Disposition", "")
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()
    assert client.get(base + "?for=national_system")["Content-Disposition"].startswith("attachment")
    record(worker, holder, purpose=Purpose.TRANSFER, scope="health")
    assert client.get(base + "?for=transfer")["Content-Disposition"].startswith("attachment")
    assert client.get(base).status_code == 302  # where it goes must be said
    assert client.get(base + "?for=<script>").status_code == 302
