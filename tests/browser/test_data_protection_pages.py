"""The data-protection pages (issue 8) in the browser: axe-core on a desktop and on a phone, and
the journeys of recording and withdrawing a consent, approving a retention proposal and
producing a subject-access report."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from hemkommun.access.consents import consent_record, consent_withdraw
from hemkommun.access.models import Consent, Purpose
from hemkommun.organizations.models import Role
from hemkommun.retention import jobs
from hemkommun.retention.models import RetentionProposal
from hemkommun.retention.services import hold_place, proposal_approve
from hemkommun.subject_access.models import SubjectAccessRequest
from hemkommun.subject_access.services import subject_access_produce

from ..factories import UserFactory
from ..retention.helpers import old_client
from .conftest import DESKTOP, PHONE
from .test_accessibility import check

pytestmark = pytest.mark.browser

CONSENTS = "section:has(#consents-heading)"


def fi(text: str, **values) -> str:
    """What the Finnish page shows for ``text`` (never compare the English)."""
    with translation.override("fi"):
        return gettext(text) % values if values else gettext(text)


@pytest.fixture
def consents(region):
    """Two consents of Järvinen: one in force, one withdrawn (on legal bases seeded again: the
    flush of transactional tests removed the migration's rows)."""
    import_module("hemkommun.access.migrations.0005_legal_bases").seed(apps, None)
    coordinator, today = region["coordinator"], timezone.localdate()
    common = {"by": coordinator, "client": region["jarvinen"], "scope": "basic", "form": Consent.Form.WRITTEN}
    consent_record(purpose=Purpose.REFERRAL, given_on=today, **common)
    earlier = consent_record(
        purpose=Purpose.CASE_TEAM, given_on=today - datetime.timedelta(days=30), **common
    )
    consent_withdraw(by=coordinator, consent=earlier, note="Asiakas perui suullisesti")


@pytest.fixture
def protection(region):
    """A Närpes data-protection officer; two old clients proposed for destruction, a third already
    destroyed (under the default rules, seeded again); a legal hold on Järvinen and an earlier
    subject-access report of him."""
    import_module("hemkommun.retention.migrations.0002_default_rules").add_defaults(apps, None)
    narpes, counsellor = region["narpes"], region["counsellor"]
    jarvinen = region["jarvinen"]
    dpo = UserFactory.with_role(
        Role.DATA_PROTECTION_OFFICER,
        narpes,
        username="dpo.narpes",
        first_name="Tiina",
        last_name="Tietosuoja",
    )
    olds = [old_client(narpes, counsellor, family_name=name) for name in ("Ahonen", "Berg", "Castrén")]
    jobs.propose_due()
    proposals = [
        RetentionProposal.objects.get(client_number=c.pk, status=RetentionProposal.Status.PROPOSED)
        for c in olds
    ]
    proposal_approve(proposal=proposals[2], by=dpo)
    today = timezone.localdate()
    hold_place(client=jarvinen, by=dpo, reason="Valitus hallinto-oikeudessa", held_from=today)
    subject_access_produce(client=jarvinen, by=dpo, language="fi", format=SubjectAccessRequest.Format.JSON)
    return {"dpo": dpo, "proposals": proposals[:2]}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_data_protection_pages_have_no_axe_violations(new_page, region, protection, viewport):
    phone = viewport == PHONE
    problems: list[str] = []
    jarvinen = region["jarvinen"]

    page = new_page(user=protection["dpo"], viewport=viewport)
    page.goto("/audit/")
    expect(page.locator("#audit-log tbody tr").first).to_be_visible()
    check(page, "audit log", phone, problems)
    page.goto("/audit/?action=read")
    expect(page.locator("#audit-log tbody tr").first).to_be_visible()
    check(page, "audit log (reads)", phone, problems)
    page.goto("/audit/verify/")
    expect(page.locator("#chain-intact")).to_be_visible()
    check(page, "audit verification", phone, problems)

    page.goto("/retention/")
    for proposal in protection["proposals"]:
        expect(page.locator(f"#proposal-{proposal.pk}")).to_be_visible()
    check(page, "retention proposals", phone, problems)
    page.goto("/retention/holds/")
    expect(page.get_by_role("cell", name="Valitus hallinto-oikeudessa")).to_be_visible()
    check(page, "legal holds", phone, problems)
    page.goto("/retention/destroyed/")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    check(page, "record of destruction", phone, problems)

    page.goto(f"/subject-access/clients/{jarvinen.pk}/")
    expect(page.locator("#subject-access-requests tbody tr")).to_have_count(1)
    check(page, "subject access", phone, problems)

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_client_page_with_consents_has_no_axe_violations(new_page, region, consents, viewport):
    problems: list[str] = []
    page = new_page(user=region["coordinator"], viewport=viewport)
    page.goto(f"/clients/{region['jarvinen'].pk}/")
    expect(page.locator(f"{CONSENTS} tbody tr")).to_have_count(2)
    check(page, "client page with consents", viewport == PHONE, problems)
    assert not problems, "\n".join(problems)


def test_a_coordinator_records_a_consent_and_withdraws_it(new_page, region, consents):
    page = new_page(user=region["coordinator"])
    page.goto(f"/clients/{region['jarvinen'].pk}/")
    section = page.locator(CONSENTS)
    section.locator("#id_purpose").select_option(Purpose.TRANSFER.value)
    section.locator("#id_form").select_option(Consent.Form.ORAL.value)
    with page.expect_navigation():
        section.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("status").filter(has_text=fi("The consent is recorded."))).to_be_visible()
    with translation.override("fi"):
        transfer = str(Purpose.TRANSFER.label)
    row = section.locator("tbody tr").filter(has_text=transfer)
    expect(row).to_have_count(1)

    row.locator("input[name=note]").fill("Asiakas muutti mielensä")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    withdrawn = fi("The consent is withdrawn; %(count)d share(s) resting on it ended.", count=0)
    expect(page.get_by_role("status").filter(has_text=withdrawn)).to_be_visible()
    expect(row).to_contain_text("Asiakas muutti mielensä")
    expect(row.locator("form")).to_have_count(0)
    consent = Consent.objects.get(client=region["jarvinen"], purpose=Purpose.TRANSFER)
    assert consent.withdrawn_by == region["coordinator"]


def test_the_officer_approves_a_proposal_and_produces_a_subject_access_report(new_page, region, protection):
    proposal, kept = protection["proposals"]
    page = new_page(user=protection["dpo"])
    page.goto("/retention/")
    page.locator(f"#proposal-{proposal.pk}").check()
    page.locator("#decision-approve").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(
        page.get_by_role("status").filter(has_text=fi("%(count)s proposals carried out.", count=1))
    ).to_be_visible()
    expect(page.locator(f"#proposal-{proposal.pk}")).to_have_count(0)
    expect(page.locator(f"#proposal-{kept.pk}")).to_be_visible()
    page.goto("/retention/destroyed/")
    destroyed = fi("Client no. %(number)s", number=proposal.client_number)
    expect(page.locator("main table tbody tr").filter(has_text=destroyed)).to_have_count(1)

    jarvinen = region["jarvinen"]
    page.goto(f"/subject-access/clients/{jarvinen.pk}/")
    page.locator("#id_language").select_option("sv")
    with page.expect_download() as download_info:
        page.locator("button[name=format][value=pdf]").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    page.reload()
    requests = page.locator("#subject-access-requests tbody tr")
    expect(requests).to_have_count(2)
    with translation.override("fi"):
        pdf_format = str(SubjectAccessRequest.Format.PDF.label)
    expect(requests.first).to_contain_text(pdf_format)
