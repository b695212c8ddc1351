"""The audit log's CSV and .xlsx files: the same entries as the page, the filters noted, formulas
neutralised, identity codes masked, and the export itself logged."""

import csv
import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from hemkommun.core.audit import MASK, record_reads
from hemkommun.core.models import ReadEvent

from ..factories import make_client
from .conftest import IDENTITY_CODE

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, dpo_narpes):
    client.force_login(dpo_narpes)
    return dpo_narpes


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]


def test_csv_holds_the_pages_entries_with_the_filters_noted(
    client, officer, log, narpes_client, counsellor_narpes
):
    params = {"person": str(narpes_client.pk), "action": "detail"}
    on_page = client.get("/audit/", params).context["rows"]
    rows = csv_rows(client.get("/audit/export/csv/", params))
    assert officer.username in rows[0][0]
    with translation.override("fi"):
        assert gettext("client %(value)s") % {"value": narpes_client.pk} in rows[1][0]
        assert gettext("action %(value)s") % {"value": ReadEvent.Action.DETAIL.label} in rows[1][0]
    header = rows[3]
    assert header[:5] == ["time", "kind", "action", "staff_member", "client_number"]
    data = rows[4:]
    assert len(data) == len(on_page) == 1
    assert data[0][3] == counsellor_narpes.get_full_name()
    assert data[0][4] == str(narpes_client.pk) and data[0][5] == narpes_client.display_name


def test_the_filters_are_noted_in_the_readers_language(client, officer, log, counsellor_narpes):
    with translation.override("fi"):
        expected = gettext("staff member %(value)s") % {"value": counsellor_narpes.get_full_name()}
        rows = csv_rows(client.get("/audit/export/csv/", {"staff": str(counsellor_narpes.pk)}))
        assert expected in rows[1][0]


def test_xlsx_matches_and_never_holds_a_formula(client, officer, narpes, counsellor_narpes):
    hostile = make_client(
        narpes, by=counsellor_narpes, family_name='=HYPERLINK("http://x")', given_names="+1"
    )
    record_reads(
        user=counsellor_narpes, client_ids=[hostile.pk], action=ReadEvent.Action.DETAIL, context="@SUM(A1)"
    )
    rows = xlsx_rows(client.get("/audit/export/xlsx/", {"person": str(hostile.pk), "action": "detail"}))
    data = [row for row in rows[4:] if row[0]]
    assert len(data) == 1
    assert data[0][5] == "'" + hostile.display_name  # the name begins with =
    assert data[0][6] == "'@SUM(A1)"
    assert all(not str(cell).startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    csv_data = csv_rows(client.get("/audit/export/csv/", {"person": str(hostile.pk), "action": "detail"}))[4:]
    assert csv_data[0][5] == "'" + hostile.display_name


def test_identity_codes_are_masked_in_the_files(client, officer, coded_client, counsellor_narpes):
    record_reads(
        user=counsellor_narpes,
        client_ids=[coded_client.pk],
        action=ReadEvent.Action.SEARCH,
        context=f"/clients/?q={IDENTITY_CODE}",
    )
    for file_format in ("csv", "xlsx"):
        response = client.get(f"/audit/export/{file_format}/", {"person": str(coded_client.pk)})
        cells = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
        text = "\n".join(str(cell) for row in cells for cell in row)
        assert "308T" not in text and MASK in text


def test_an_export_is_logged_as_an_export_of_each_own_client(client, officer, log, narpes_client):
    client.get("/audit/export/xlsx/", {"action": "read"})
    exported = ReadEvent.objects.filter(user=officer, action=ReadEvent.Action.EXPORT)
    assert set(exported.values_list("client_id", flat=True)) == {narpes_client.pk}


def test_an_invalid_filter_sends_back_to_the_page(client, officer, log, vasa_client):
    response = client.get("/audit/export/csv/", {"person": str(vasa_client.pk)})
    assert response.status_code == 302 and response["Location"].startswith("/audit/?")
    assert not ReadEvent.objects.filter(user=officer).exists()


def test_an_unknown_format_is_not_found(client, officer):
    assert client.get("/audit/export/pdf/").status_code == 404


def test_too_many_entries_are_refused(client, officer, log, monkeypatch):
    from hemkommun.audit import views

    monkeypatch.setattr(views, "MAX_EXPORT_ROWS", 1)
    response = client.get("/audit/export/csv/")
    assert response.status_code == 302
