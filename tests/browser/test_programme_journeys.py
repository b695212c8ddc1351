"""The integration programme in a real browser (issue 6): a coordinator imports seed 002 from a
file, records a council's approval and a year's statuses, and begins a new version; the pages
pass axe on a desktop and on a phone."""

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from hemkommun.programme import services, surveys
from hemkommun.programme.models import ActionStatus, Programme, Response
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.samples import SEED_002

from ..factories import OrganisationFactory
from .conftest import PHONE, axe_violations, describe_violations

pytestmark = pytest.mark.browser


def fi(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def assert_axe_clean(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_coordinator_imports_the_programme_and_records_a_year(new_page, region, viewport):
    korsnas = OrganisationFactory.municipality("280", "Korsnäs")
    page = new_page(user=region["coordinator"], viewport=viewport)
    page.goto("/programme/")
    page.get_by_role("link", name=fi("Import a programme")).click()
    assert_axe_clean(page, "programme import")

    page.fill("#id_title", "Integrationsprogram")
    page.fill("#id_period", "2023-2025")
    page.check(f"#owners input[value='{korsnas.pk}']")
    page.set_input_files("#id_file", str(SEED_002))
    page.check("#id_dry_run")
    submit(page)
    expect(page.locator("#preview")).to_contain_text("24")
    assert not Programme.objects.exists()

    page.set_input_files("#id_file", str(SEED_002))
    page.uncheck("#id_dry_run")
    submit(page)
    programme = Programme.objects.get()
    expect(page.locator("main h3")).to_have_count(6)
    assert_axe_clean(page, "programme")

    page.locator("#approvals a").first.click()
    page.fill("#id_approved_by", "Kommunfullmäktige")
    page.fill("#id_approved_on", "2023-03-23")
    page.fill("#id_decision_reference", "§ 21")
    submit(page)
    expect(page.locator("#approvals")).to_contain_text("§ 21")

    page.select_option("#year-select", "2024")
    with page.expect_navigation():
        page.get_by_role("button", name=fi("Show")).click()
    page.get_by_role("link", name=fi("Record the statuses of %(year)s") % {"year": 2024}).click()
    assert_axe_clean(page, "statuses")
    first = page.locator(".status-row").first
    first.locator("select").select_option("done")
    first.locator("textarea").fill("Morgonkaffe varje vecka")
    submit(page)
    expect(page.locator(".theme-actions").first).to_contain_text("Morgonkaffe varje vecka")
    assert ActionStatus.objects.get(year=2024).status == "done"

    page.get_by_role("link", name=fi("Follow-up report %(year)s") % {"year": 2024}).click()
    expect(page.locator("#status-table")).to_contain_text("1")
    page.wait_for_function("document.querySelector('#status-chart').width > 0")
    assert_axe_clean(page, "follow-up report")
    with page.expect_download() as download:
        page.get_by_role("link", name=fi("Download PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"/programme/{programme.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name=fi("Begin a new version")).click()
    revision = Programme.objects.get(revision_of=programme)
    expect(page.locator("#versions")).to_contain_text("1")
    assert page.url.endswith(f"/programme/{revision.pk}/")


def test_a_person_answers_the_survey_in_arabic_on_a_phone(new_page, region):
    coordinator = region["coordinator"]
    programme = services.programme_import(
        by=coordinator,
        owners=[region["narpes"]],
        period=services.Period(2024, 2026),
        parsed=parse_file(SEED_002.read_bytes()),
        title="Integrationsprogram",
    )
    survey = surveys.survey_create(
        by=coordinator, programme=programme, year=2026, languages=["sv", "fi", "ar"]
    )
    surveys.survey_texts_set(
        by=coordinator,
        survey=survey,
        language="ar",
        values={
            "title": "استبيان المهاجرين",
            "intro": "إجاباتك مجهولة الهوية.",
            "submit": "إرسال",
            "thanks": "شكرا لك",
        },
    )
    texts = {"sv": "Hur trivs du?", "fi": "Miten viihdyt?", "ar": "هل أنت راض عن حياتك هنا؟"}
    options = [
        {"value": "100", "texts": {"sv": "Bra", "fi": "Hyvin", "ar": "جيد"}},
        {"value": "0", "texts": {"sv": "Dåligt", "fi": "Huonosti", "ar": "سيء"}},
    ]
    surveys.question_save(by=coordinator, survey=survey, kind="choice", texts=texts, options=options)
    open_text = {"sv": "Vad borde ändras?", "fi": "Mitä pitäisi muuttaa?", "ar": "ما الذي يجب تغييره؟"}
    surveys.question_save(by=coordinator, survey=survey, kind="text", texts=open_text)
    surveys.survey_open(by=coordinator, survey=survey)
    invitation = surveys.invitations_create(by=coordinator, survey=survey, count=1)[0]

    page = new_page(viewport=PHONE)
    page.goto(f"/survey/{invitation.token}/")
    page.get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("استبيان المهاجرين")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    assert_axe_clean(page, "survey in Arabic on a phone")
    page.get_by_label("جيد").check()
    page.locator("textarea").fill("المزيد من دروس اللغة")
    with page.expect_navigation():
        page.get_by_role("button", name="إرسال").click()
    expect(page.locator("#thanks")).to_have_text("شكرا لك")
    stored = Response.objects.get()
    assert stored.language == "ar" and stored.answers.count() == 2
    page.go_back()
    page.reload()
    expect(page.locator("#unavailable")).to_be_visible()
