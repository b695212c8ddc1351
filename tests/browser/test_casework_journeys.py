"""Casework journeys in a real browser (issue 3), growing with the issue."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from hemkommun.casework.models import (
    Assessment,
    Contact,
    Deadline,
    IntegrationPlan,
    Referral,
)
from hemkommun.casework.services.referrals import referral_send
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client
from .conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_counsellor_records_a_drop_in_from_the_home_page_in_three_actions(new_page, region, viewport):
    page = new_page(user=region["counsellor"], viewport=viewport)
    page.goto("/")
    form = page.locator("#drop-in-form")
    # 1: the language spoken, 2: a topic, 3: record. Channel (visit) and organisation are preset.
    form.locator("select[name='drop_in-language']").select_option("ar")
    form.get_by_label("Asuminen").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main .alert")).to_be_visible()
    contact = Contact.objects.get()
    assert (contact.language, contact.topic_codes, contact.client_id) == ("ar", ["housing"], None)
    assert contact.organisation == region["narpes"] and contact.recorded_by == region["counsellor"]


# --- issue 3: from a new client to a signed plan, a referral answered, the deadline worklist ------


def fi(text) -> str:
    """What the Finnish catalogue says for a msgid or a lazily translated label."""
    with translation.override("fi"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def submit(page: Page, form: str) -> None:
    """Submit a form of the page's main content by its selector and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def expect_message(page: Page, text) -> None:
    expect(page.locator("main .alert[role=status]")).to_contain_text(fi(text))


@pytest.fixture
def case_worker(region):
    return UserFactory.with_role(
        Role.CASE_WORKER,
        region["narpes"],
        username="case.worker",
        first_name="Kaisa",
        last_name="Käsittelijä",
    )


def test_case_worker_goes_from_a_new_client_to_a_signed_plan_and_downloads_the_pdf(
    new_page, region, case_worker, live_server
):
    today = timezone.localdate()  # the application's day (Helsinki), not the machine's
    page = new_page(user=case_worker)

    # Register the client: the relationship started a month ago, so the deadline clocks run.
    page.goto("/")
    with page.expect_navigation():
        page.click("main a[href='/clients/new/']")
    page.fill("#id_family_name", "Haidari")
    page.fill("#id_given_names", "Zahra")
    page.fill("#id_date_of_birth", "1991")
    page.select_option("#id_native_language", "fa")
    page.fill("#id_client_since", (today - datetime.timedelta(days=30)).isoformat())
    page.select_option("#id_responsible_worker", str(case_worker.pk))
    submit(page, "main form")
    client = Client.objects.get(family_name="Haidari")
    expect(page).to_have_url(f"{live_server.url}/clients/{client.pk}/")
    expect(page.locator("h1")).to_have_text("Haidari, Zahra")

    # Assessment: a few fields, saved as a draft, then completed and signed.
    with page.expect_navigation():
        page.click(f"main a[href='/casework/clients/{client.pk}/assessments/new/']")
    page.fill("#id_requested_on", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("#id_started_on", (today - datetime.timedelta(days=7)).isoformat())
    page.select_option("#id_education_level", "secondary")
    page.fill("#id_work_history", "Kuusi vuotta ompelijana")
    page.fill("#id_languages", "fa:native, en:B1, fi:A1")
    page.select_option("#id_plan_needed", "true")
    page.select_option("#id_path", "employment")
    submit(page, "#assessment-form")
    assessment = Assessment.objects.get(client=client)
    expect(page).to_have_url(f"{live_server.url}/casework/assessments/{assessment.pk}/")
    expect_message(page, "Assessment saved as a draft.")
    expect(page.locator("#assessment-status")).to_have_text(fi(Assessment.Status.DRAFT.label))
    expect(page.locator("#id_work_history")).to_have_value("Kuusi vuotta ompelijana")

    page.fill("#id_status-day", today.isoformat())
    with page.expect_navigation():
        page.click("#status-form button[name=action][value=complete]")
    expect_message(page, "Assessment completed.")
    expect(page.locator("#assessment-status")).to_have_text(fi(Assessment.Status.COMPLETED.label))
    page.fill("#id_status-day", today.isoformat())
    with page.expect_navigation():
        page.click("#status-form button[name=action][value=sign]")
    expect_message(page, "Assessment signed.")
    expect(page.locator("#assessment-status")).to_have_text(fi(Assessment.Status.SIGNED.label))
    expect(page.locator("#status-form")).to_have_count(0)  # nothing more to do with it
    expect(page.locator("#assessment-form")).to_have_count(0)  # and it can no longer be changed

    # The plan, linked to the signed assessment, for half a year from today.
    with page.expect_navigation():
        page.click(f"main a[href='/clients/{client.pk}/']")
    with page.expect_navigation():
        page.click(f"main a[href='/casework/clients/{client.pk}/plans/new/']")
    page.select_option("#id_assessment", str(assessment.pk))
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=182)).isoformat())
    submit(page, "#assessment-form")
    plan = IntegrationPlan.objects.get(client=client)
    expect(page).to_have_url(f"{live_server.url}/casework/plans/{plan.pk}/")
    expect(page.locator("#plan-status")).to_have_text(fi(IntegrationPlan.Status.DRAFT.label))
    expect(page.locator("#plan-documents")).to_have_count(0)  # no document of a draft

    goal_text = "Oppii suomea arjen tilanteisiin"
    page.select_option("#id_goal-kind", "language")
    page.fill("#id_goal-description", goal_text)
    page.select_option("#id_goal-target_level", "A2")
    submit(page, "#goal-form")
    expect_message(page, "Goal added.")
    expect(page.locator("#goals")).to_contain_text(goal_text)

    goal = plan.goals.get()
    page.select_option("#id_measure-goal", str(goal.pk))
    page.fill("#id_measure-service", "Kotoutumiskoulutus")
    page.select_option("#id_measure-responsible", "municipality")
    page.fill("#id_measure-starts_on", (today + datetime.timedelta(days=14)).isoformat())
    submit(page, "#measure-form")
    expect_message(page, "Measure added.")
    expect(page.locator("#measures tbody tr")).to_have_count(1)
    expect(page.locator("#measures")).to_contain_text("Kotoutumiskoulutus")

    page.select_option("#id_responsibility-party", "client")
    page.fill("#id_responsibility-description", "Osallistuu koulutukseen joka arkipäivä")
    submit(page, "#responsibility-form")
    expect_message(page, "Responsibility saved.")
    expect(page.locator("#responsibilities")).to_contain_text("Osallistuu koulutukseen joka arkipäivä")

    page.fill("#id_agree-day", today.isoformat())
    submit(page, "#agree-form")
    expect_message(page, "The client has accepted the plan.")
    expect(page.locator("#plan-status")).to_have_text(fi(IntegrationPlan.Status.AGREED.label))
    plan.refresh_from_db()
    assert (plan.assessment, plan.agreed_on) == (assessment, today)

    # The Finnish document: the client's name and the goal in its text.
    with page.expect_download() as download:
        page.click(f"#plan-documents a[href='/casework/plans/{plan.pk}/pdf/fi/']")
    assert download.value.suggested_filename == f"integration-plan-{plan.pk}-fi.pdf"
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join((pdf_page.extract_text() or "").split()) for pdf_page in reader.pages)
    assert "Haidari" in text and "Zahra" in text
    assert goal_text in text


def test_social_worker_of_the_welfare_area_accepts_a_referral_and_reports_its_outcome(
    new_page, region, case_worker, live_server
):
    welfare = OrganisationFactory.welfare_area()
    social_worker = UserFactory.with_role(
        Role.SOCIAL_WORKER, welfare, username="social.worker", first_name="Sanna", last_name="Sosiaali"
    )
    client = make_client(region["narpes"], by=case_worker, family_name="Haidari", given_names="Zahra")
    reason = "Perhe tarvitsee sosiaalihuollon palvelutarpeen arvion."
    referral = referral_send(
        consent_given="oral",
        by=case_worker,
        client=client,
        kind=Referral.Kind.SOCIAL_CARE,
        to_organisation=welfare,
        reason=reason,
    )
    client_url = f"/clients/{client.pk}/"
    referral_url = f"/casework/referrals/{referral.pk}/"

    page = new_page(user=social_worker)
    page.goto("/")
    with page.expect_navigation():
        page.click("header nav a[href='/casework/referrals/']")
    expect(page.locator("header nav a[href='/casework/referrals/']")).to_have_attribute(
        "aria-current", "page"
    )
    awaiting = page.locator("#referrals-awaiting tbody tr")
    expect(awaiting).to_have_count(1)
    expect(awaiting).to_contain_text("Haidari, Zahra")
    with page.expect_navigation():
        awaiting.locator(f"a[href='{referral_url}']").click()
    expect(page.locator("#referral-reason")).to_have_text(reason)
    # Before accepting, the receiver sees the referral but not the record.
    expect(page.locator(f"#referral a[href='{client_url}']")).to_have_count(0)

    page.fill("#id_acknowledge-note", "Otamme yhteyttä perheeseen.")
    submit(page, "#step-acknowledge")
    expect_message(page, "Referral acknowledged.")
    expect(page.locator("#step-acknowledge")).to_have_count(0)
    submit(page, "#step-accept")
    expect_message(page, "Referral accepted: the client's record is shared with you.")
    expect(page.locator("#referral-share")).to_be_visible()

    # The share opens the client's page to the social worker.
    with page.expect_navigation():
        page.click(f"#referral a[href='{client_url}']")
    expect(page).to_have_url(f"{live_server.url}{client_url}")
    expect(page.locator("h1")).to_have_text("Haidari, Zahra")
    with page.expect_navigation():
        page.go_back()
    expect(page).to_have_url(f"{live_server.url}{referral_url}")

    page.fill("#id_outcome-outcome", "Palvelutarve arvioitu; perhetyö alkaa.")
    submit(page, "#step-outcome")
    expect_message(page, "Outcome reported: the share has ended.")
    expect(page.locator("#step-outcome")).to_have_count(0)
    expect(page.locator("#referral")).to_contain_text("Palvelutarve arvioitu; perhetyö alkaa.")
    events = page.locator("#referral-events li")
    expect(events).to_have_count(4)  # sent, acknowledged, accepted, outcome reported

    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert referral.share.revoked_at is not None
    # With the outcome in, the share has ended: the record is closed again.
    response = page.goto(client_url)
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Haidari")


def test_case_worker_sees_an_overdue_assessment_on_the_worklist_and_exports_it(
    new_page, region, case_worker, live_server
):
    today = timezone.localdate()  # the application's day (Helsinki), not the machine's
    client = make_client(
        region["narpes"],
        by=case_worker,
        family_name="Haidari",
        given_names="Zahra",
        client_since=today - datetime.timedelta(days=100),  # the assessment was due after 2 months
        responsible_worker=case_worker,
    )
    deadline = Deadline.objects.get(client=client, kind="assessment_start")
    assert deadline.due_on < today and deadline.met_on is None
    # Someone else's client with the same overdue deadline stays off this worker's list.
    make_client(
        region["narpes"],
        by=case_worker,
        family_name="Warsame",
        given_names="Hodan",
        client_since=today - datetime.timedelta(days=100),
        responsible_worker=region["coordinator"],
    )

    page = new_page(user=case_worker)
    page.goto("/")
    home_rows = page.locator("#home-worklist tbody tr.deadline-overdue")
    expect(home_rows).to_have_count(1)
    expect(home_rows).to_contain_text("Haidari, Zahra")
    expect(home_rows).to_contain_text(deadline.due_on.isoformat())
    expect(home_rows).to_contain_text(fi("Overdue"))

    with page.expect_navigation():
        page.click("main a[href='/casework/worklist/']")
    rows = page.locator("#worklist tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_have_class(re.compile(r"\bdeadline-overdue\b"))
    expect(rows).to_contain_text("Haidari, Zahra")
    expect(rows.locator(f"a[href='/clients/{client.pk}/']")).to_be_visible()

    with page.expect_download() as download:
        page.click("main a[href^='/casework/worklist.csv']")
    assert download.value.suggested_filename == f"worklist-{today:%Y%m%d}.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    header_at = lines.index(["client_id", "deadline", "due_date", "status", "worker"])
    assert header_at > 0 and all(len(line) <= 1 for line in lines[:header_at])  # the notes first
    assert lines[header_at + 1 :] == [
        [str(client.pk), "assessment_start", deadline.due_on.isoformat(), "overdue", "case.worker"]
    ]
