"""The statistics as CSV and .xlsx, the page itself, and hostile filter values."""

import csv
import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from hemkommun.organizations.models import Role
from hemkommun.reports.statistics import SUMMARY

from ..factories import OrganisationFactory, UserFactory, make_client
from .conftest import d

pytestmark = pytest.mark.django_db
URL = "/reports/statistics/"


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_csv_has_the_filters_the_suppression_note_and_the_figures(client, dataset, coordinator_narpes):
    client.force_login(coordinator_narpes)
    response = client.get(
        URL + "export.csv", {"date_from": "2026-01-01", "date_to": "2026-12-31", "sex": "F"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistics-20260101-20261231.csv"'
    rows = read_csv(response)
    text = "\n".join(",".join(row) for row in rows)
    with translation.override("fi"):
        _ = gettext
        assert _("Exact figures, for use within the unit only: do not share them outside it.") in text
        assert f"{_('Sex')}: {_('Female')}" in text
    assert "01.01.2026 – 31.12.2026" in text
    assert "coordinator.narpes" in text
    figures = {(row[1], row[2]): row[3] for row in rows if len(row) == 4}
    with translation.override("fi"):
        labels = {key: label() for key, label in SUMMARY}
        number = gettext("Number")
    assert figures[(labels["clients_registered"], number)] == "2"  # Ali and Cali
    assert figures[(labels["contacts"], number)] == "1"  # Ali's; anonymous ones have no sex
    assert figures[(labels["participants"], number)] == "4"


def test_suppressed_export_says_so_and_carries_the_markers(client, dataset, coordinator_narpes):
    client.force_login(coordinator_narpes)
    response = client.get(URL + "export.xlsx", {"for_sharing": "on"})
    workbook = read_xlsx(response)
    assert (
        len(workbook.sheetnames) == 10
    )  # summary, five client breakdowns, two of contacts, referrals, timeliness
    summary = workbook[workbook.sheetnames[0]]
    cells = [[cell.value for cell in row] for row in summary.iter_rows()]
    flat = [str(value) for row in cells for value in row if value is not None]
    with translation.override("fi"):
        note = gettext(
            "Figures for sharing: groups smaller than 5 are suppressed. <5 stands for 1–4; x for a "
            "figure hidden so that a smaller one cannot be worked out from the totals; 0 is shown."
        )
    assert note in flat
    data_rows = [row for row in cells if len(row) > 1 and row[1] is not None]
    assert "<5" in [row[1] for row in data_rows]  # clients with a contact: 2
    assert not any(row[1] in (1, 2, 3, 4) for row in data_rows)


def test_exact_xlsx_has_numbers(client, dataset, coordinator_narpes):
    client.force_login(coordinator_narpes)
    workbook = read_xlsx(client.get(URL + "export.xlsx"))
    summary = workbook[workbook.sheetnames[0]]
    numbers = [row[1].value for row in summary.iter_rows() if len(row) > 1 and isinstance(row[1].value, int)]
    assert numbers == [4, 2, 2, 4, 1, 1, 2, 1, 3, 2, 7]


def test_names_that_look_like_formulas_are_neutralised(client):
    evil = OrganisationFactory(
        code="evil",
        kind="joint_authority",
        name_fi='=HYPERLINK("http://x","y")',
        name_sv='=HYPERLINK("http://x","y")',
    )
    user = UserFactory.with_role(Role.COORDINATOR, evil)
    make_client(evil, by=UserFactory.with_role(Role.COUNSELLOR, evil), client_since=d("2026-02-01"))
    client.force_login(user)
    rows = read_csv(client.get(URL + "export.csv"))
    flat = [value for row in rows for value in row]
    assert any(value.startswith("'=HYPERLINK") for value in flat)
    assert not any(value.startswith("=") for value in flat)
    workbook = read_xlsx(client.get(URL + "export.xlsx"))
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not str(cell.value or "").startswith("=")


def test_the_page_shows_tables_and_charts(client, dataset, coordinator_narpes):
    client.force_login(coordinator_narpes)
    content = client.get(URL).content.decode()
    assert 'id="table-summary"' in content
    assert '<th scope="col"' in content and '<th scope="row"' in content
    assert 'class="text-end">4</td>' in content
    assert 'id="chart-contacts_by_channel" role="img" aria-label=' in content
    assert "statistics-chart-data" in content
    assert "core/_form_errors" not in content


def test_the_page_completes_a_period_given_by_one_end(client, dataset, coordinator_narpes):
    client.force_login(coordinator_narpes)
    stats = client.get(URL, {"date_from": "2025-03-01"}).context["stats"]
    assert (stats.date_from.isoformat(), stats.date_to.isoformat()) == ("2025-03-01", "2025-12-31")
    content = client.get(URL, {"date_to": "2024-05-31"}).content.decode()
    assert 'value="2024-01-01"' in content and 'value="2024-05-31"' in content


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-45"},
        {"date_to": "99999-01-01"},
        {"date_from": "1899-01-01"},
        {"date_from": "2026-12-31", "date_to": "2026-01-01"},
        {"unit": str(10**40)},
        {"unit": "-1"},
        {"language": "'; DROP TABLE clients_client; --"},
        {"age_group": "<script>alert(1)</script>"},
        {"sex": "Q"},
        {"residence_ground": "quota_refugee\x00"},
        {"organisation": "../../etc"},
    ],
)
def test_hostile_filter_values_give_a_message(client, dataset, coordinator_narpes, params):
    client.force_login(coordinator_narpes)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "stats" not in response.context
    assert client.get(URL + "export.xlsx", params).status_code == 302


def test_an_unknown_file_format(client, coordinator_narpes):
    client.force_login(coordinator_narpes)
    assert client.get(URL + "export.pdf").status_code == 404
