"""axe-core on the main pages, on a desktop and on a phone, and no sideways scrolling on the phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hemkommun.casework.models import Referral
from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.casework.services.referrals import referral_send
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client
from .conftest import DESKTOP, PHONE, axe_violations, describe_violations

pytestmark = pytest.mark.browser


def fits_the_width(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def check(page: Page, where: str, phone: bool, problems: list[str]) -> None:
    """Collect the page's axe violations (and sideways scrolling on a phone) into ``problems``."""
    problems_here = describe_violations(where, axe_violations(page))
    if problems_here:
        problems.append(problems_here)
    if phone and not fits_the_width(page):
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        problems.append(f"{where}: the page scrolls sideways on a phone (scrollWidth, innerWidth = {width})")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_axe_violations(new_page, region, viewport):
    phone = viewport == PHONE
    problems: list[str] = []

    page = new_page(viewport=viewport)
    page.goto("/login/")
    check(page, "login", phone, problems)

    # A coordinator sees every part of the pages, the read log and the share form included.
    page = new_page(user=region["coordinator"], viewport=viewport)
    page.goto("/")
    check(page, "home", phone, problems)

    page.goto("/clients/")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    check(page, "client list", phone, problems)

    page.goto(f"/clients/{region['jarvinen'].pk}/")
    expect(page.locator("#read-log tbody tr").first).to_be_visible()
    check(page, "client profile", phone, problems)

    page.goto(f"/casework/clients/{region['jarvinen'].pk}/contacts/new/")
    check(page, "contact form", phone, problems)

    page.goto("/casework/rules/")
    check(page, "deadline rules", phone, problems)

    page.goto("/compensation/parameters/")
    check(page, "compensation rules", phone, problems)

    page.goto(f"/compensation/forecast/?payee={region['narpes'].pk}&first=2026-01&last=2026-12")
    check(page, "compensation forecast", phone, problems)

    page.goto("/compensation/reconciliation/")
    check(page, "reconciliation", phone, problems)

    page.goto("/compensation/costs/")
    check(page, "costs", phone, problems)

    page.goto("/compensation/costs/new/")
    check(page, "cost form", phone, problems)

    page.goto("/compensation/claims/")
    check(page, "claims", phone, problems)

    page.goto("/clients/new/")
    check(page, "client form", phone, problems)

    page.fill("#id_given_names", "فاطمة")
    page.fill("#id_identity_code", "131052-308U")
    page.fill("#id_date_of_birth", "1990-13")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#form-errors")).to_be_visible()
    check(page, "client form with errors", phone, problems)

    assert not problems, "\n".join(problems)


@pytest.fixture
def casework(region):
    """A Närpes client a case worker is responsible for, with an overdue assessment deadline, a
    signed assessment of Järvinen, a draft plan with a goal and a measure, and a referral to the
    welfare area awaiting its social worker's answer."""
    today = timezone.localdate()  # the application's day (Helsinki), not the machine's
    narpes, coordinator = region["narpes"], region["coordinator"]
    case_worker = UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.worker")
    make_client(
        narpes,
        by=case_worker,
        family_name="Haidari",
        given_names="Zahra",
        client_since=today - datetime.timedelta(days=100),
        responsible_worker=case_worker,
    )
    client = region["jarvinen"]
    assessment = assessment_services.assessment_create(
        by=coordinator,
        client=client,
        data={"started_on": today, "education_level": "secondary", "plan_needed": True, "path": "studies"},
        languages=[("uk", "native"), ("fi", "A1")],
    )
    draft = assessment_services.assessment_create(
        by=coordinator, client=client, data={"started_on": today, "education_level": "vocational"}
    )
    assessment_services.assessment_complete(by=coordinator, assessment=assessment)
    assessment_services.assessment_sign(by=coordinator, assessment=assessment)
    plan = plan_services.plan_create(
        by=coordinator,
        client=client,
        data={
            "assessment": assessment,
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=180),
            "summary": "Suomen kieli ja ammatillinen koulutus.",
        },
    )
    goal = plan_services.goal_add(
        by=coordinator,
        plan=plan,
        data={"kind": "language", "description": "Oppii suomea arjen tilanteisiin", "target_level": "A2"},
    )
    plan_services.measure_add(
        by=coordinator, plan=plan, data={"goal": goal, "service": "Kotoutumiskoulutus", "status": "planned"}
    )
    welfare = OrganisationFactory.welfare_area()
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare, username="social.worker")
    referral = referral_send(
        consent_given="oral",
        by=coordinator,
        client=client,
        kind=Referral.Kind.SOCIAL_CARE,
        to_organisation=welfare,
        reason="Perhe tarvitsee palvelutarpeen arvion.",
    )
    return {
        "case_worker": case_worker,
        "draft_assessment": draft,
        "signed_assessment": assessment,
        "plan": plan,
        "social_worker": social_worker,
        "referral": referral,
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_casework_pages_have_no_axe_violations(new_page, region, casework, viewport):
    phone = viewport == PHONE
    problems: list[str] = []
    client = region["jarvinen"]

    page = new_page(user=region["coordinator"], viewport=viewport)
    page.goto(f"/casework/assessments/{casework['draft_assessment'].pk}/")
    expect(page.locator("#assessment-form")).to_be_visible()
    check(page, "assessment (draft)", phone, problems)
    page.goto(f"/casework/assessments/{casework['signed_assessment'].pk}/")
    expect(page.locator("#assessment-form")).to_have_count(0)
    check(page, "assessment (signed)", phone, problems)

    page.goto(f"/casework/plans/{casework['plan'].pk}/")
    for form in ("goal", "measure", "responsibility", "agree"):
        expect(page.locator(f"#{form}-form")).to_have_count(1)
    expect(page.locator("#measures tbody tr")).to_have_count(1)
    check(page, "plan (draft)", phone, problems)

    page.goto(f"/casework/clients/{client.pk}/timeline/")
    expect(page.locator("#timeline li").first).to_be_visible()
    check(page, "timeline", phone, problems)

    # A coordinator's worklist has the filters and the deadlines met late; a case worker's is plain.
    page.goto("/casework/worklist/")
    check(page, "worklist (coordinator)", phone, problems)
    page = new_page(user=casework["case_worker"], viewport=viewport)
    page.goto("/casework/worklist/")
    expect(page.locator("#worklist tbody tr.deadline-overdue")).to_have_count(1)
    check(page, "worklist", phone, problems)

    # The receiver's inbox and referral, with the forms of the next steps.
    page = new_page(user=casework["social_worker"], viewport=viewport)
    page.goto("/casework/referrals/")
    expect(page.locator("#referrals-awaiting tbody tr")).to_have_count(1)
    check(page, "referral inbox", phone, problems)

    page.goto(f"/casework/referrals/{casework['referral'].pk}/")
    expect(page.locator("#step-accept")).to_be_visible()
    check(page, "referral", phone, problems)

    assert not problems, "\n".join(problems)
