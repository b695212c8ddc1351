"""The assessment and plan pages: the journey through forms, kept input, access per role."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from hemkommun.casework.models import Assessment, IntegrationPlan
from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client, make_share

D = datetime.date
TODAY = "2025-06-02 10:00 +0300"


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes)


@pytest.fixture
def newcomer(narpes, case_worker):
    return make_client(narpes, by=case_worker, family_name="Haidari", client_since=D(2025, 3, 3))


def post(client, url, data, **kwargs):
    return client.post(url, data, **kwargs)


@time_machine.travel(TODAY, tick=False)
def test_case_worker_goes_from_assessment_to_an_agreed_plan_through_the_pages(client, newcomer, case_worker):
    client.force_login(case_worker)
    response = post(
        client,
        reverse("casework:assessment_create", args=[newcomer.pk]),
        {
            "started_on": "2025-05-05",
            "education_level": "secondary",
            "languages": "ar:native, en:B1",
            "plan_needed": "true",
            "path": "employment",
            "health_notes": "Back pain",
        },
    )
    assessment = Assessment.objects.get()
    assert response.url == reverse("casework:assessment", args=[assessment.pk])
    assert [(row.language, row.level) for row in assessment.languages.all()] == [
        ("ar", "native"),
        ("en", "B1"),
    ]
    url = reverse("casework:assessment", args=[assessment.pk])
    assert post(client, url, {"action": "complete", "status-day": "2025-05-20"}).status_code == 302
    assert post(client, url, {"action": "sign", "status-day": "2025-05-21"}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.completed_on, assessment.signed_on) == (
        "signed",
        D(2025, 5, 20),
        D(2025, 5, 21),
    )

    response = post(
        client,
        reverse("casework:plan_create", args=[newcomer.pk]),
        {
            "assessment": assessment.pk,
            "drafted_on": "2025-05-26",
            "starts_on": "2025-06-02",
            "ends_on": "2026-06-01",
        },
    )
    plan = IntegrationPlan.objects.get()
    url = reverse("casework:plan", args=[plan.pk])
    assert response.url == url
    assert (
        post(client, url, {"action": "goal", "goal-kind": "language", "goal-target_level": "B1"}).status_code
        == 302
    )
    assert (
        post(
            client,
            url,
            {
                "action": "measure",
                "measure-service": "Finnish course",
                "measure-responsible": "municipality",
                "measure-status": "planned",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            url,
            {
                "action": "responsibility",
                "responsibility-party": "client",
                "responsibility-description": "Attends the course",
            },
        ).status_code
        == 302
    )
    assert post(client, url, {"action": "agree", "agree-day": "2025-06-02"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_on) == ("agreed", D(2025, 6, 2))
    page = client.get(url).content.decode()
    assert 'id="plan-documents"' in page and "Finnish course" in page


@time_machine.travel(TODAY, tick=False)
def test_a_refused_extension_keeps_what_was_typed_and_says_why(client, newcomer, case_worker):
    plan = plan_services.plan_create(
        by=case_worker,
        client=newcomer,
        data={"drafted_on": D(2025, 3, 20), "starts_on": D(2025, 4, 1), "ends_on": D(2026, 4, 1)},
    )
    plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "employment"})
    plan_services.plan_agree(by=case_worker, plan=plan, agreed_on=D(2025, 6, 1))
    client.force_login(case_worker)
    response = post(
        client,
        reverse("casework:plan", args=[plan.pk]),
        {"action": "extend", "extension-new_end": "2028-01-01", "extension-reason": "Long illness <b>x</b>"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_extension-new_end_error"' in page
    assert "Long illness &lt;b&gt;x&lt;/b&gt;" in page
    plan.refresh_from_db()
    assert plan.ends_on == D(2026, 4, 1)


@time_machine.travel(TODAY, tick=False)
def test_bad_dates_on_the_plan_form_are_refused_with_messages(client, newcomer, case_worker):
    client.force_login(case_worker)
    response = post(
        client,
        reverse("casework:plan_create", args=[newcomer.pk]),
        {
            "drafted_on": "2025-05-26",
            "starts_on": "2025-06-02",
            "ends_on": "2025-05-01",
            "summary": "Keep me",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Keep me" in page and 'id="id_ends_on_error"' in page
    assert not IntegrationPlan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_health_notes_show_only_to_health_roles_and_reads_are_logged(client, narpes, newcomer, case_worker):
    assessment = assessment_services.assessment_create(
        by=case_worker, client=newcomer, data={"health_notes": "Diabetes", "plan_needed": False}
    )
    assessment_services.assessment_complete(by=case_worker, assessment=assessment)
    assessment_services.assessment_sign(by=case_worker, assessment=assessment)
    url = reverse("casework:assessment", args=[assessment.pk])
    client.force_login(case_worker)
    assert "Diabetes" in client.get(url).content.decode()
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Diabetes" not in page and 'id="health-notes"' not in page
    assert ReadEvent.objects.filter(user=coordinator, client=newcomer, context="assessment").exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "sees", "acts"),
    [
        (Role.COUNSELLOR, True, False),
        (Role.CASE_WORKER, True, True),
        (Role.COORDINATOR, True, True),
        (Role.SOCIAL_WORKER, True, True),
        (Role.EMPLOYMENT_OFFICER, True, True),
        (Role.REPORTING, False, False),
        (Role.ADMINISTRATOR, True, False),
        (Role.DATA_PROTECTION_OFFICER, True, False),
    ],
)
def test_plan_page_per_role(client, narpes, newcomer, case_worker, role, sees, acts):
    plan = plan_services.plan_create(
        by=case_worker, client=newcomer, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
    )
    user = UserFactory.with_role(role, narpes)
    client.force_login(user)
    url = reverse("casework:plan", args=[plan.pk])
    assert client.get(url).status_code == (200 if sees else 404)
    response = post(client, url, {"action": "goal", "goal-kind": "health"})
    assert response.status_code == (302 if acts else 403 if sees else 404)
    new_plan = client.get(reverse("casework:plan_create", args=[newcomer.pk]))
    assert new_plan.status_code == (200 if acts else 403 if sees else 404)


@time_machine.travel(TODAY, tick=False)
def test_another_municipality_gets_404_and_a_share_shows_but_does_not_let_it_act(
    client, vasa, newcomer, case_worker
):
    plan = plan_services.plan_create(
        by=case_worker, client=newcomer, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
    )
    assessment = assessment_services.assessment_create(by=case_worker, client=newcomer, data={})
    vasa_worker = UserFactory.with_role(Role.CASE_WORKER, vasa)
    client.force_login(vasa_worker)
    for url in (
        reverse("casework:plan", args=[plan.pk]),
        reverse("casework:assessment", args=[assessment.pk]),
        reverse("casework:plan_pdf", args=[plan.pk, "fi"]),
    ):
        assert client.get(url).status_code == 404
    make_share(newcomer, vasa)
    assert client.get(reverse("casework:plan", args=[plan.pk])).status_code == 200
    assert (
        post(
            client, reverse("casework:plan", args=[plan.pk]), {"action": "goal", "goal-kind": "health"}
        ).status_code
        == 403
    )


def test_superuser_sees_plans_but_does_no_casework(client, narpes, case_worker):
    with time_machine.travel(TODAY, tick=False):
        newcomer = make_client(narpes, by=case_worker, family_name="Haidari", client_since=D(2025, 3, 3))
        plan = plan_services.plan_create(
            by=case_worker, client=newcomer, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
        )
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("casework:plan", args=[plan.pk])).status_code == 200
    assert (
        post(
            client, reverse("casework:plan", args=[plan.pk]), {"action": "goal", "goal-kind": "health"}
        ).status_code
        == 403
    )


@time_machine.travel(TODAY, tick=False)
def test_plan_pdf_downloads_in_the_offered_languages_and_is_logged(client, narpes, case_worker):
    person = make_client(
        narpes,
        by=case_worker,
        family_name="العلي",
        given_names="فاطمة",
        family_name_latin="Al-Ali",
        given_names_latin="Fatima",
        native_language="ar",
        client_since=D(2025, 3, 3),
    )
    plan = plan_services.plan_create(
        by=case_worker, client=person, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
    )
    plan_services.goal_add(
        by=case_worker, plan=plan, data={"kind": "employment", "description": "Työ hoiva-alalla"}
    )
    plan_services.plan_agree(by=case_worker, plan=plan)
    client.force_login(case_worker)
    page = client.get(reverse("casework:plan", args=[plan.pk])).content.decode()
    for code in ("fi", "sv", "en", "ar"):
        assert reverse("casework:plan_pdf", args=[plan.pk, code]) in page
    response = client.get(reverse("casework:plan_pdf", args=[plan.pk, "ar"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert ReadEvent.objects.filter(user=case_worker, client=person, context="plan pdf ar").exists()
    # Languages without the fixed texts are not offered, and hostile codes are not found.
    for code in ("de", "xx", "..%2f"):
        assert client.get(f"/casework/plans/{plan.pk}/pdf/{code}/").status_code == 404
