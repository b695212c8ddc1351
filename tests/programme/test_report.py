"""The yearly follow-up report: statuses, comments and indicator values against earlier years, on
the page, in a PDF and in an .xlsx workbook, each opened and read back."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from hemkommun.organizations.models import Role
from hemkommun.programme import services
from hemkommun.programme.models import Action, Indicator
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.report import follow_up_report
from hemkommun.programme.samples import SEED_002

from ..factories import UserFactory, make_client

pytestmark = pytest.mark.usefixtures("frozen")
MARKUP = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-23 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def programme(narpes, coordinator):
    programme = services.programme_import(
        by=coordinator,
        owners=[narpes],
        period=services.Period(2023, 2025),
        parsed=parse_file(SEED_002.read_bytes()),
        title="Integrationsprogram",
    )
    first, second = Action.objects.filter(theme__programme=programme).order_by("theme__position", "position")[
        :2
    ]
    services.statuses_set(
        by=coordinator,
        programme=programme,
        year=2024,
        entries=[(first, "done", f"Klart {MARKUP}"), (second, "in_progress", FORMULA)],
    )
    typed = services.indicator_save(
        by=coordinator, programme=programme, name="Vänpersoner", kind=Indicator.Kind.TYPED, actions=[first]
    )
    for year, value in ((2021, 4), (2023, 7), (2024, 9)):
        services.indicator_value_set(by=coordinator, indicator=typed, year=year, value=Decimal(value))
    services.indicator_save(
        by=coordinator,
        programme=programme,
        name="Nya klienter",
        kind=Indicator.Kind.COMPUTED,
        figure=Indicator.Figure.NEW_CLIENTS,
    )
    for day in (datetime.date(2023, 5, 1), datetime.date(2024, 2, 1), datetime.date(2024, 8, 1)):
        make_client(narpes, client_since=day)
    return programme


def test_the_report_gathers_statuses_and_values_against_earlier_years(programme):
    report = follow_up_report(programme, 2024)
    assert report.years == [2021, 2022, 2023, 2024]
    counts = {status: count for status, _label, count in report.status_counts}
    assert counts == {"done": 1, "in_progress": 1, "": 22}
    typed, computed = sorted(report.indicators, key=lambda line: line.indicator.name)[::-1]
    assert typed.values == [Decimal(4), None, Decimal(7), Decimal(9)]
    assert computed.values == [0, 0, 1, 2]
    first = report.sections[0].actions[0]
    assert first.status.status == "done" and [line.indicator.name for line in first.indicators] == [
        "Vänpersoner"
    ]
    assert len(report.sections) == 6 and sum(len(s.actions) for s in report.sections) == 24


def test_the_page_draws_charts_from_data_and_keeps_markup_inert(client, programme, narpes):
    client.force_login(UserFactory.with_role(Role.REPORTING, narpes))
    page = client.get(reverse("programme:report", args=[programme.pk, 2024])).content.decode()
    assert 'id="chart-data"' in page and "chart.umd.min.js" in page and 'id="status-chart"' in page
    assert MARKUP not in page and "Klart &lt;script&gt;" in page
    assert client.get(reverse("programme:report", args=[programme.pk, 2030])).status_code == 404


def test_the_pdf_holds_the_statuses_comments_and_charts(client, programme, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programme:report_pdf", args=[programme.pk, 2024]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Integrationsprogram" in text and "Koordinering av integration" in text
    assert "Klart <script>alert(1)</" in text  # printed as text, not markup
    assert "Vänpersoner" in text and "2021" in text
    # The charts are drawn: the first page carries vector paths beyond the text.
    assert len(reader.pages[0].get_contents().get_data()) > 5000


def test_the_workbook_has_the_actions_and_the_indicators_formula_safe(client, programme, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programme:report_xlsx", args=[programme.pk, 2024]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    actions, indicators = workbook.worksheets
    rows = [[cell.value for cell in row] for row in actions.iter_rows()]
    header = next(index for index, row in enumerate(rows) if row[0] and row[1] and row[6])
    data = rows[header + 1 :]
    assert len(data) == 24
    assert data[1][7] == "'" + FORMULA
    values = {
        row[0].value: [cell.value for cell in row[2:]]
        for row in indicators.iter_rows()
        if row[0].value == "Vänpersoner"
    }
    assert values["Vänpersoner"] == [4, None, 7, 9]


def test_readers_of_another_municipality_get_no_report(client, programme, vasa):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    for name in ("programme:report", "programme:report_pdf", "programme:report_xlsx"):
        assert client.get(reverse(name, args=[programme.pk, 2024])).status_code == 404


def test_a_dollar_sign_in_a_name_does_not_break_the_pdf(client, programme, coordinator):
    services.indicator_save(by=coordinator, programme=programme, name="Kostnad $_$ per person", kind="typed")
    client.force_login(coordinator)
    response = client.get(reverse("programme:report_pdf", args=[programme.pk, 2024]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
