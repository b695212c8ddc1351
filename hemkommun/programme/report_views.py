"""The follow-up report of a programme and year: on a page (Chart.js), as PDF (SVG charts) and as
an .xlsx workbook. For everyone who reads the programme."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemkommun.core.pdf import render_pdf
from hemkommun.core.spreadsheets import CONTENT_TYPES, workbook_bytes

from . import charts
from .report import FollowUpReport, follow_up_report, report_sheets
from .views import readable_programme


def _report(request, pk: int, year: int) -> FollowUpReport:
    programme = readable_programme(request.user, pk)
    if year not in programme.years:
        raise Http404
    return follow_up_report(programme, year)


@login_required
def report_page(request, pk: int, year: int):
    report = _report(request, pk, year)
    chart_data = {
        "statuses": {
            "labels": [label for _s, label, _n in report.status_counts],
            "values": [n for *_x, n in report.status_counts],
        },
        "indicators": [
            {
                "name": line.indicator.name,
                "years": report.years,
                "values": [float(v) if v is not None else None for v in line.values],
            }
            for line in report.indicators
        ],
    }
    return render(request, "programme/report.html", {"report": report, "chart_data": chart_data})


@login_required
def report_pdf(request, pk: int, year: int):
    report = _report(request, pk, year)
    context = {
        "report": report,
        "status_chart": charts.bar_chart(
            [label for _s, label, _n in report.status_counts],
            [n for *_x, n in report.status_counts],
            _("Statuses"),
        ),
        "indicator_charts": [
            (line, charts.line_chart(report.years, line.values, line.indicator.name))
            for line in report.indicators
        ],
        "printed_on": timezone.localdate(),
    }
    language = translation.get_language() or "fi"
    content = render_pdf(template_name="pdf/programme_report.html", context=context, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.pdf"'
    return response


@login_required
def report_xlsx(request, pk: int, year: int):
    report = _report(request, pk, year)
    notes = [
        _("Follow-up of %(programme)s, %(year)s; exported %(time)s by %(user)s")
        % {
            "programme": report.programme.title,
            "year": report.year,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "user": request.user.get_username(),
        }
    ]
    response = HttpResponse(workbook_bytes(report_sheets(report, notes)), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.xlsx"'
    return response


def _filename(report: FollowUpReport) -> str:
    return f"programme-{report.programme.pk}-follow-up-{report.year}"
