"""A large export in a real browser: asked for, followed while the background job runs, downloaded."""

import io

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import expect

from hemkommun.clients import export_views
from hemkommun.exports import jobs
from hemkommun.exports.models import ExportJob

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def test_a_large_client_export_is_followed_and_downloaded(new_page, region, monkeypatch, settings, tmp_path):
    monkeypatch.setattr(export_views, "DIRECT_EXPORT_ROWS", 2)  # the region's three clients are "large"
    settings.MEDIA_ROOT = tmp_path
    page = new_page(user=region["counsellor"])
    page.goto("/clients/")
    with translation.override("fi"):
        export_link, prepare, ready = (
            translation.gettext(text) for text in ("Export to Excel", "Prepare the file", "Ready")
        )
    page.get_by_role("link", name=export_link).click()
    expect(page.locator("main")).to_contain_text("3")
    page.get_by_role("button", name=prepare).click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert axe_violations(page) == [], describe_violations("export job page", axe_violations(page))

    job = ExportJob.objects.get()
    jobs.run_export(str(job.pk))  # what the background cluster does
    job.refresh_from_db()
    expect(page.locator("#job-status")).to_contain_text(ready, timeout=10_000)  # htmx asked again
    with page.expect_download() as download:
        page.locator("#job-status a.btn").click()
    assert download.value.suggested_filename == job.filename
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {"Järvinen", "Warsame"} <= names
