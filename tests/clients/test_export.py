import csv
import io

import openpyxl
from django.urls import reverse

from hemkommun.core.models import ReadEvent

from ..factories import make_client


def test_xlsx_export_holds_visible_clients_filters_and_neutralised_formulas(
    client, narpes, vasa, counsellor_narpes, narpes_client
):
    make_client(narpes, by=counsellor_narpes, family_name='=HYPERLINK("http://x")', given_names="+Eve")
    make_client(vasa, family_name="Vasaclient")
    client.force_login(counsellor_narpes)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("clients:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Järvinen" in values
    assert '\'=HYPERLINK("http://x")' in values
    assert "'+Eve" in values
    assert "Vasaclient" not in values
    assert any(str(value).startswith("Filters:") for value in values[:3])
    assert ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT, user=counsellor_narpes).count() == 2


def test_csv_export_follows_the_search(client, narpes, counsellor_narpes, narpes_client):
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen")
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:export", args=["csv"]), {"q": "jarvinen"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("jarvinen" in cell for row in rows[:2] for cell in row)
    header_line = 3  # two notes (export time, filters) and a blank line come first
    names = [row[1] for row in rows[header_line + 1 :]]
    assert names == ["Järvinen"]


def test_export_of_other_formats_is_not_found(client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    assert client.get("/clients/export.exe").status_code == 404


def test_bad_search_export_redirects_with_message(client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:export", args=["csv"]), {"dob": "19xx"})
    assert response.status_code == 302
