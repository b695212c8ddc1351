"""Referrals between organisations: the life cycle across two organisations, the share it opens
and ends, the events both sides see, the deadline a referral meets, and follow-ups."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from hemkommun.access.models import Share
from hemkommun.casework.deadlines import refresh_deadlines
from hemkommun.casework.models import (
    Aftercare,
    Deadline,
    FamilyReunificationNeed,
    IntegrationPlan,
    Referral,
    ReferralEvent,
    RuleKind,
)
from hemkommun.casework.services import referrals as services
from hemkommun.casework.services.followups import family_reunification_need_create
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
TODAY = datetime.datetime(2025, 9, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.narpes")


@pytest.fixture
def social_worker(welfare):
    return UserFactory.with_role(Role.SOCIAL_WORKER, welfare, username="social.welfare")


@pytest.fixture
def holder(narpes, worker):
    return make_client(narpes, by=worker, family_name="Haddad", given_names="Amal")


def send(by, client, to, **kwargs):
    kwargs.setdefault("kind", Referral.Kind.SOCIAL_CARE)
    kwargs.setdefault("reason", "Family of five, needs a social-care assessment.")
    return services.referral_send(consent_given="oral", by=by, client=client, to_organisation=to, **kwargs)


def code_of(excinfo) -> set[str]:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def step(http, referral, name, **data):
    return http.post(
        reverse("casework:referral_step", args=[referral.pk, name]),
        {f"{name}-{field}": value for field, value in data.items()},
    )


# --- the whole life cycle, through the pages -----------------------------------------------


def test_social_care_notification_from_narpes_to_the_welfare_area(
    client, narpes, welfare, worker, social_worker, holder
):
    client.force_login(worker)
    response = client.post(
        reverse("casework:referral_create", args=[holder.pk]),
        {
            "kind": "social_care",
            "to_organisation": welfare.pk,
            "reason": "Needs a social-care needs assessment.",
            "scope": "health",
            "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "consent_given": "written",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "casework:referral_detail", args=[referral.pk]
    )
    assert (referral.from_organisation, referral.to_organisation, referral.status) == (
        narpes,
        welfare,
        "sent",
    )
    assert referral.sent_on == timezone.localdate() and referral.scope == "health"

    # The receiver sees the referral, not the record.
    client.force_login(social_worker)
    client_page = reverse("clients:detail", args=[holder.pk])
    page = client.get(reverse("casework:referral_detail", args=[referral.pk]))
    assert page.status_code == 200 and "Haddad" in page.content.decode()
    assert client_page not in page.content.decode()
    assert client.get(client_page).status_code == 404
    inbox = client.get(reverse("casework:referral_inbox")).content.decode()
    assert "Haddad" in inbox and 'id="referrals-awaiting"' in inbox

    assert step(client, referral, "acknowledge", note="Looking into it").status_code == 302
    assert step(client, referral, "accept").status_code == 302
    referral.refresh_from_db()
    share = referral.share
    assert referral.status == "accepted"
    assert (share.client, share.organisation, share.scope) == (holder, welfare, Share.Scope.HEALTH)
    assert timezone.localdate(share.valid_until) == timezone.localdate() + datetime.timedelta(days=180)
    assert str(referral.pk) in share.purpose and share.revoked_at is None
    assert client.get(client_page).status_code == 200
    assert client_page in client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()

    assert step(client, referral, "outcome", outcome="Assessment done; support at home.").status_code == 302
    referral.refresh_from_db()
    share.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "Assessment done; support at home."
    assert share.revoked_at is not None
    assert client.get(client_page).status_code == 404

    events = list(referral.events.values_list("status", "organisation", "by"))
    assert events == [
        ("sent", narpes.pk, worker.pk),
        ("acknowledged", welfare.pk, social_worker.pk),
        ("accepted", welfare.pk, social_worker.pk),
        ("completed", welfare.pk, social_worker.pk),
    ]
    for user in (worker, social_worker):
        client.force_login(user)
        page = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
        assert "Looking into it" in page and "Assessment done; support at home." in page
        assert page.count('<li class="mb-2">') == 4


def test_default_answer_is_due_in_fourteen_days_and_never_before_sending(welfare, worker, holder):
    referral = send(worker, holder, welfare)
    assert referral.due_on == referral.sent_on + datetime.timedelta(days=14)
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, welfare, due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert code_of(excinfo) == {"referral_due"}
    assert Referral.objects.count() == 1


def test_health_data_only_towards_a_welfare_area_or_for_social_care(narpes, vasa, welfare, worker, holder):
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, vasa, kind=Referral.Kind.LANGUAGE_COURSE, scope=Share.Scope.HEALTH)
    assert code_of(excinfo) == {"referral_scope"}
    assert send(worker, holder, vasa, kind=Referral.Kind.SOCIAL_CARE, scope=Share.Scope.HEALTH).pk
    assert send(worker, holder, welfare, kind=Referral.Kind.OTHER, scope=Share.Scope.HEALTH).pk


def test_a_referral_must_have_a_reason_and_a_known_kind(welfare, worker, holder):
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, welfare, reason="   ")
    assert code_of(excinfo) == {"referral_reason"}
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, welfare, kind="<script>")
    assert code_of(excinfo) == {"referral_kind"}
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()


# --- rejection and withdrawal --------------------------------------------------------------


def test_rejection_needs_a_reason(client, welfare, worker, social_worker, holder):
    referral = send(worker, holder, welfare)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_reject(by=social_worker, referral=referral, reason="  ")
    assert code_of(excinfo) == {"referral_rejection_reason"}
    client.force_login(social_worker)
    response = step(client, referral, "reject", reason="")
    assert response.status_code == 200 and 'id="step-reject"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.events.count() == 1

    assert step(client, referral, "reject", reason="Not in our area: ask Vasa.").status_code == 302
    referral.refresh_from_db()
    assert referral.status == "rejected" and referral.rejection_reason == "Not in our area: ask Vasa."
    assert referral.share is None and not Share.objects.exists()
    client.force_login(worker)
    assert (
        "Not in our area: ask Vasa."
        in client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    )


def test_withdrawal_before_acceptance(welfare, worker, holder):
    referral = send(worker, holder, welfare)
    services.referral_withdraw(by=worker, referral=referral, note="Client moved away")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert referral.events.last().note == "Client moved away"
    assert referral.events.last().organisation == referral.from_organisation


def test_withdrawal_after_acceptance_ends_the_share(client, welfare, worker, social_worker, holder):
    referral = services.referral_accept(by=social_worker, referral=send(worker, holder, welfare))
    client.force_login(worker)
    assert step(client, referral, "withdraw", note="").status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn" and referral.share.revoked_at is not None
    client.force_login(social_worker)
    assert client.get(reverse("clients:detail", args=[holder.pk])).status_code == 404


@pytest.mark.parametrize(
    ("path", "then"),
    [
        (["reject"], "accept"),
        (["reject"], "acknowledge"),
        (["acknowledge"], "acknowledge"),
        ([], "outcome"),
        (["accept"], "reject"),
        (["accept"], "accept"),
        (["accept", "outcome"], "withdraw"),
        (["withdraw"], "accept"),
        (["withdraw"], "withdraw"),
    ],
)
def test_invalid_transitions_are_refused(welfare, worker, social_worker, holder, path, then):
    def do(name, referral):
        if name == "withdraw":
            return services.referral_withdraw(by=worker, referral=referral)
        receiver = {
            "acknowledge": lambda: services.referral_acknowledge(by=social_worker, referral=referral),
            "accept": lambda: services.referral_accept(by=social_worker, referral=referral),
            "reject": lambda: services.referral_reject(by=social_worker, referral=referral, reason="No"),
            "outcome": lambda: services.referral_report_outcome(
                by=social_worker, referral=referral, outcome="Done"
            ),
        }
        return receiver[name]()

    referral = send(worker, holder, welfare)
    for name in path:
        referral = do(name, referral)
    before = (referral.status, referral.events.count(), Share.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        do(then, referral)
    assert code_of(excinfo) == {"referral_state"}
    referral.refresh_from_db()
    assert (referral.status, referral.events.count(), Share.objects.count()) == before


def test_an_invalid_step_through_the_page_shows_why_and_changes_nothing(
    client, welfare, worker, social_worker, holder
):
    referral = services.referral_reject(by=social_worker, referral=send(worker, holder, welfare), reason="No")
    client.force_login(social_worker)
    response = step(client, referral, "accept")
    assert response.status_code == 200
    with translation.override("fi"):  # the page's language
        expected = translation.gettext("This step is not possible: the referral is %(status)s.").split("%")[0]
    assert expected in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "rejected" and not Share.objects.exists()


def test_unknown_step_is_404(client, welfare, worker, holder):
    referral = send(worker, holder, welfare)
    client.force_login(worker)
    assert step(client, referral, "delete").status_code == 404
    assert client.get(reverse("casework:referral_step", args=[referral.pk, "withdraw"])).status_code == 405


# --- hostile input -------------------------------------------------------------------------


def test_markup_in_the_reason_is_shown_as_text(client, welfare, worker, social_worker, holder):
    referral = send(worker, holder, welfare, reason='<script>alert("x")</script><b>urgent</b>')
    for user in (worker, social_worker):
        client.force_login(user)
        for url in (
            reverse("casework:referral_detail", args=[referral.pk]),
            reverse("casework:referral_inbox"),
        ):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page and "<b>urgent" not in page
    page = client.get(reverse("casework:referral_detail", args=[referral.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;urgent&lt;/b&gt;" in page


def test_another_municipalitys_referral_id_gives_404(client, vasa, welfare, worker, holder):
    referral = send(worker, holder, welfare)
    outsider = UserFactory.with_role(Role.CASE_WORKER, vasa)
    client.force_login(outsider)
    assert client.get(reverse("casework:referral_detail", args=[referral.pk])).status_code == 404
    for name in ("acknowledge", "accept", "withdraw"):
        assert step(client, referral, name).status_code == 404
    assert client.get(reverse("casework:referral_create", args=[holder.pk])).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert "Haddad" not in client.get(reverse("casework:referral_inbox")).content.decode()


def test_a_referral_to_the_holding_organisation_is_refused(client, narpes, worker, holder):
    with pytest.raises(ValidationError) as excinfo:
        send(worker, holder, narpes)
    assert code_of(excinfo) == {"referral_to_holder"}
    client.force_login(worker)
    response = client.post(
        reverse("casework:referral_create", args=[holder.pk]),
        {
            "kind": "other",
            "to_organisation": narpes.pk,
            "reason": "Keep it",
            "scope": "basic",
            "due_on": "2099-01-01",
        },
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert "Keep it" in response.content.decode()  # what was typed is not lost
    assert not Referral.objects.exists()


# --- the inbox, the read log and the client's page -----------------------------------------


def test_inbox_orders_by_due_date_and_marks_overdue(client, welfare, worker, social_worker, holder):
    late = send(worker, holder, welfare, reason="late one")
    Referral.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    send(worker, holder, welfare, reason="on time")
    client.force_login(social_worker)
    page = client.get(reverse("casework:referral_inbox")).content.decode()
    assert page.count("referral-overdue") == 1
    assert page.index(reverse("casework:referral_detail", args=[late.pk])) < page.index("accepted-heading")
    client.force_login(worker)
    page = client.get(reverse("casework:referral_inbox")).content.decode()
    assert 'id="referrals-sent"' in page and page.count("referral-overdue") == 1


def test_reading_a_referral_and_the_inbox_is_logged(client, welfare, worker, social_worker, holder):
    referral = send(worker, holder, welfare)
    client.force_login(social_worker)
    client.get(reverse("casework:referral_detail", args=[referral.pk]))
    client.get(reverse("casework:referral_inbox"))
    events = ReadEvent.objects.filter(user=social_worker, client=holder)
    assert set(events.values_list("action", "context")) == {
        ("detail", f"referral {referral.pk}"),
        ("list", "referral inbox"),
    }


def test_client_page_lists_referrals_and_offers_sending(client, welfare, worker, holder):
    referral = send(worker, holder, welfare)
    client.force_login(worker)
    page = client.get(reverse("clients:detail", args=[holder.pk])).content.decode()
    assert reverse("casework:referral_detail", args=[referral.pk]) in page
    assert reverse("casework:referral_create", args=[holder.pk]) in page
    assert reverse("casework:referral_inbox") in page  # the nav link


# --- the deadline a referral meets ---------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_referral_after_the_plan_meets_the_services_after_plan_deadline(narpes, welfare, worker):
    holder = make_client(narpes, by=worker, client_since=D(2025, 3, 10), first_permit_date=D(2025, 1, 15))
    IntegrationPlan.objects.create(
        client=holder,
        organisation=narpes,
        worker=worker,
        drafted_on=D(2025, 4, 1),
        starts_on=D(2025, 5, 1),
        ends_on=D(2026, 4, 30),
        agreed_on=D(2025, 5, 1),
        status=IntegrationPlan.Status.AGREED,
    )
    services_deadline = Deadline.objects.filter(client=holder, kind=RuleKind.SERVICES_AFTER_PLAN)
    refresh_deadlines(holder)
    assert services_deadline.get().due_on == D(2025, 11, 1) and services_deadline.get().met_on is None
    referral = send(worker, holder, welfare, kind=Referral.Kind.INTEGRATION_TRAINING)
    assert services_deadline.get().met_on == D(2025, 9, 1)
    services.referral_withdraw(by=worker, referral=referral)
    assert services_deadline.get().met_on is None  # a withdrawn referral directs nobody anywhere


# --- family reunification and aftercare ----------------------------------------------------


def test_family_reunification_need_and_aftercare_are_recorded_from_the_profile(client, worker, holder):
    client.force_login(worker)
    url = reverse("casework:followups", args=[holder.pk])
    assert url in client.get(reverse("clients:detail", args=[holder.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("casework:followup_add", args=[holder.pk, "family"]),
        {
            "family-recorded_on": timezone.localdate().isoformat(),
            "family-family_abroad": "Spouse and two children in <b>Kabul</b>",
            "family-guidance_given": "Migri application explained",
            "family-status": "in_progress",
        },
    )
    assert response.status_code == 302
    need = FamilyReunificationNeed.objects.get()
    assert (need.client, need.by, need.status) == (holder, worker, "in_progress")
    page = client.get(url).content.decode()
    assert "&lt;b&gt;Kabul&lt;/b&gt;" in page

    response = client.post(
        reverse("casework:followup_add", args=[holder.pk, "aftercare"]),
        {
            "aftercare-started_on": "2025-06-01",
            "aftercare-ended_on": "2025-05-01",
            "aftercare-description": "Support",
        },
    )
    with translation.override("fi"):  # the page's language
        expected = translation.gettext("Aftercare cannot end before it starts.")
    assert response.status_code == 200 and expected in response.content.decode()
    assert not Aftercare.objects.exists()
    response = client.post(
        reverse("casework:followup_add", args=[holder.pk, "aftercare"]),
        {"aftercare-started_on": "2025-06-01", "aftercare-description": "Weekly support after leaving care"},
    )
    assert response.status_code == 302 and Aftercare.objects.get().ended_on is None
    assert ReadEvent.objects.filter(user=worker, client=holder, context="followups").exists()


def test_a_family_reunification_need_in_the_future_is_refused(worker, holder):
    with pytest.raises(ValidationError) as excinfo:
        family_reunification_need_create(
            by=worker,
            client=holder,
            family_abroad="Mother",
            recorded_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert code_of(excinfo) == {"followup_future"}


def test_follow_ups_are_recorded_by_casework_roles_only(client, narpes, holder):
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    client.force_login(counsellor)
    assert client.get(reverse("casework:followups", args=[holder.pk])).status_code == 200
    response = client.post(
        reverse("casework:followup_add", args=[holder.pk, "family"]),
        {"family-recorded_on": "2025-01-01", "family-family_abroad": "x", "family-status": "open"},
    )
    assert response.status_code == 403 and not FamilyReunificationNeed.objects.exists()
