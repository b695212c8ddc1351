"""Who may send, answer, withdraw and see referrals: every role, those that may and those that may not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hemkommun.casework.models import Referral
from hemkommun.casework.services import referrals as services
from hemkommun.organizations.models import Organisation, Role

from ..factories import OrganisationFactory, UserFactory, make_client

CASEWORK = [Role.CASE_WORKER, Role.COORDINATOR, Role.SOCIAL_WORKER, Role.EMPLOYMENT_OFFICER]
NO_REFERRALS = [Role.REPORTING, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
ALL_ROLES = [Role.COUNSELLOR, *CASEWORK, *NO_REFERRALS]
COUNSELLOR_KINDS = [Referral.Kind.THIRD_SECTOR, Referral.Kind.LANGUAGE_COURSE]
OTHER_KINDS = [k for k in Referral.Kind.values if k not in COUNSELLOR_KINDS]


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def red_cross(db):
    return OrganisationFactory(
        kind=Organisation.Kind.THIRD_SECTOR, code="red-cross", name_fi="Punainen Risti", name_sv="Röda korset"
    )


@pytest.fixture
def holder(narpes):
    return make_client(narpes, family_name="Haddad", given_names="Amal")


@pytest.fixture
def sender(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="sender.narpes")


def form_data(kind, to):
    return {
        "kind": kind,
        "to_organisation": to.pk,
        "reason": "Please assess.",
        "scope": "basic",
        "due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "consent_given": "oral",
    }


def send_page(http, holder, kind, to):
    return http.post(reverse("casework:referral_create", args=[holder.pk]), form_data(kind, to))


def superuser():
    return UserFactory(is_superuser=True, is_staff=True, username="admin")


# --- sending -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASEWORK)
@pytest.mark.parametrize("kind", Referral.Kind.values)
def test_casework_roles_send_every_kind(client, narpes, welfare, holder, role, kind):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(reverse("casework:referral_create", args=[holder.pk])).status_code == 200
    assert send_page(client, holder, kind, welfare).status_code == 302
    assert Referral.objects.get().kind == kind


@pytest.mark.parametrize("kind", COUNSELLOR_KINDS)
def test_counsellors_send_third_sector_and_language_course_referrals(client, narpes, red_cross, holder, kind):
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, narpes))
    assert send_page(client, holder, kind, red_cross).status_code == 302
    assert Referral.objects.get().kind == kind


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_counsellors_send_no_other_referrals(client, narpes, welfare, holder, kind):
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    client.force_login(counsellor)
    page = client.get(reverse("casework:referral_create", args=[holder.pk])).content.decode()
    assert f'value="{kind}"' not in page and 'value="third_sector"' in page
    assert send_page(client, holder, kind, welfare).status_code == 200
    with pytest.raises(ValidationError) as excinfo:
        services.referral_send(
            consent_given="oral", by=counsellor, client=holder, kind=kind, to_organisation=welfare, reason="x"
        )
    assert excinfo.value.code == "referral_forbidden"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", NO_REFERRALS)
def test_roles_that_may_not_send_referrals(client, narpes, welfare, holder, role):
    user = UserFactory.with_role(role, narpes)
    client.force_login(user)
    # Reporting does not see clients at all (404); the others see the record but may not refer.
    expected = 404 if role == Role.REPORTING else 403
    assert client.get(reverse("casework:referral_create", args=[holder.pk])).status_code == expected
    assert send_page(client, holder, "other", welfare).status_code == expected
    with pytest.raises(ValidationError):
        services.referral_send(
            consent_given="oral", by=user, client=holder, kind="other", to_organisation=welfare, reason="x"
        )
    assert not Referral.objects.exists()
    page = client.get(reverse("clients:detail", args=[holder.pk]))
    assert reverse("casework:referral_create", args=[holder.pk]) not in page.content.decode()


def test_superuser_sends_no_referrals(client, welfare, holder):
    admin = superuser()
    client.force_login(admin)
    assert client.get(reverse("casework:referral_create", args=[holder.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.referral_send(
            consent_given="oral", by=admin, client=holder, kind="other", to_organisation=welfare, reason="x"
        )


def test_a_share_does_not_let_the_receiver_send_referrals_of_the_client(
    client, narpes, welfare, sender, holder
):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    receiver = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    services.referral_accept(by=receiver, referral=referral)
    client.force_login(receiver)
    assert client.get(reverse("casework:referral_create", args=[holder.pk])).status_code == 403


# --- answering -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASEWORK)
def test_casework_roles_of_the_receiver_answer(client, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    client.force_login(UserFactory.with_role(role, welfare))
    page = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    assert 'id="step-accept"' in page and 'id="step-withdraw"' not in page
    url = reverse("casework:referral_step", args=[referral.pk, "acknowledge"])
    assert client.post(url).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "acknowledged"


@pytest.mark.parametrize("role", [Role.COUNSELLOR, *NO_REFERRALS])
def test_other_roles_of_the_receiver_do_not_answer_and_do_not_see(client, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    user = UserFactory.with_role(role, welfare)
    client.force_login(user)
    assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404
    assert client.post(reverse("casework:referral_step", args=[referral.pk, "accept"])).status_code == 404
    with pytest.raises(ValidationError) as excinfo:
        services.referral_accept(by=user, referral=referral)
    assert excinfo.value.code == "referral_forbidden"
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.share is None


def test_a_counsellor_of_a_third_sector_organisation_answers_a_third_sector_referral(
    client, red_cross, sender, holder
):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="third_sector",
        to_organisation=red_cross,
        reason="Friend person",
    )
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, red_cross))
    assert client.post(reverse("casework:referral_step", args=[referral.pk, "accept"])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.share.organisation == red_cross


@pytest.mark.parametrize("role", [*CASEWORK, Role.COUNSELLOR])
def test_the_sending_side_does_not_answer_its_own_referral(client, narpes, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="third_sector",
        to_organisation=welfare,
        reason="x",
    )
    client.force_login(UserFactory.with_role(role, narpes))
    for step in ("acknowledge", "accept", "reject", "outcome"):
        assert client.post(reverse("casework:referral_step", args=[referral.pk, step])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_superuser_sees_but_does_not_answer(client, welfare, sender, holder):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    client.force_login(superuser())
    page = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    assert "Haddad" in page and 'id="step-' not in page
    for step in ("acknowledge", "accept", "withdraw"):
        assert client.post(reverse("casework:referral_step", args=[referral.pk, step])).status_code == 403


# --- withdrawing ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASEWORK)
def test_casework_roles_of_the_sender_withdraw(client, narpes, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral", by=sender, client=holder, kind="employment", to_organisation=welfare, reason="x"
    )
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.post(reverse("casework:referral_step", args=[referral.pk, "withdraw"])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


@pytest.mark.parametrize("role", NO_REFERRALS)
def test_other_roles_of_the_sender_do_not_withdraw(client, narpes, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral", by=sender, client=holder, kind="employment", to_organisation=welfare, reason="x"
    )
    client.force_login(UserFactory.with_role(role, narpes))
    response = client.post(reverse("casework:referral_step", args=[referral.pk, "withdraw"]))
    # Reporting does not see the referral (404); the others see it but may not withdraw it.
    assert response.status_code == (404 if role == Role.REPORTING else 403)
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_receiver_does_not_withdraw(client, welfare, sender, holder):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    client.force_login(UserFactory.with_role(Role.SOCIAL_WORKER, welfare))
    assert client.post(reverse("casework:referral_step", args=[referral.pk, "withdraw"])).status_code == 403


# --- seeing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.COUNSELLOR, *CASEWORK, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
)
def test_client_data_roles_of_the_sender_see_its_referrals(client, narpes, welfare, sender, holder, role):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="Sensitive reason",
    )
    client.force_login(UserFactory.with_role(role, narpes))
    assert (
        "Sensitive reason"
        in client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    )
    assert "Haddad" in client.get(reverse("casework:referral_inbox")).content.decode()


def test_reporting_sees_no_referrals(client, narpes, welfare, sender, holder):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    for organisation in (narpes, welfare):
        client.force_login(UserFactory.with_role(Role.REPORTING, organisation))
        assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404
        assert client.get(reverse("casework:referral_inbox")).status_code == 403
        assert reverse("casework:referral_inbox") not in client.get(reverse("home")).content.decode()


def test_a_third_organisation_sees_nothing(client, vasa, welfare, sender, holder):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    for role in ALL_ROLES:
        client.force_login(UserFactory.with_role(role, vasa))
        assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404


def test_a_membership_that_has_ended_gives_nothing(client, welfare, sender, holder):
    referral = services.referral_send(
        consent_given="oral",
        by=sender,
        client=holder,
        kind="social_care",
        to_organisation=welfare,
        reason="x",
    )
    former = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    former.memberships.update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(former)
    assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404
    assert client.post(reverse("casework:referral_step", args=[referral.pk, "accept"])).status_code == 404


def test_nav_link_to_the_inbox_for_those_who_send_or_answer(client, narpes, welfare):
    for role in [Role.COUNSELLOR, *CASEWORK]:
        for organisation in (narpes, welfare):
            client.force_login(UserFactory.with_role(role, organisation))
            assert reverse("casework:referral_inbox") in client.get(reverse("home")).content.decode()
    for role in NO_REFERRALS:
        client.force_login(UserFactory.with_role(role, narpes))
        assert reverse("casework:referral_inbox") not in client.get(reverse("home")).content.decode()
