"""The reception board, the calendar of arrivals and the export of arrivals."""

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hemkommun.core.spreadsheets import spreadsheet_response

from . import selectors
from .pages import require_municipalities

EXPORT_COLUMNS = [
    "reference",
    "municipality",
    "kind",
    "status",
    "expected_on",
    "arrived_on",
    "persons",
    "open_tasks",
    "overdue_tasks",
    "flat",
]


def _municipalities(request) -> tuple[list, list[int]]:
    """The municipalities the user manages, and those chosen with ?municipality= (all by default)."""
    municipalities = require_municipalities(request.user)
    chosen = request.GET.get("municipality", "")
    ids = [m.pk for m in municipalities]
    if chosen.isdecimal() and int(chosen) in ids:
        ids = [int(chosen)]
    return municipalities, ids


@login_required
def board(request):
    today = timezone.localdate()
    municipalities, ids = _municipalities(request)
    context = {
        "municipalities": municipalities,
        "chosen": ids[0] if len(ids) == 1 else None,
        "multiple": len(ids) > 1,
        "stages": selectors.board_groups(municipality_ids=ids, today=today),
        "overdue": selectors.overdue_tasks(municipality_ids=ids, today=today)[:50],
        "today": today,
        "query": request.GET.urlencode(),
    }
    return render(request, "reception/board.html", context)


def _month(text: str, today: datetime.date) -> datetime.date:
    """The month asked for, or this month; years far off the calendar are not asked for."""
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return month if 1900 <= month.year <= 2100 else today.replace(day=1)


@login_required
def arrival_calendar(request):
    """A month of arrivals, laid out by week as a table a screen reader can follow."""
    today = timezone.localdate()
    municipalities, ids = _municipalities(request)
    month = _month(request.GET.get("month", ""), today)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    groups = selectors.calendar_groups(municipality_ids=ids, first=weeks[0][0], last=weeks[-1][-1])
    by_day: dict[datetime.date, list] = {}
    for group in groups:
        by_day.setdefault(group.arrived_on or group.expected_on, []).append(group)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "weekdays": [date_format(day, "l") for day in weeks[0]],
        "previous": previous,
        "following": following,
        "today": today,
        "municipalities": municipalities,
        "chosen": ids[0] if len(ids) == 1 else None,
    }
    return render(request, "reception/calendar.html", context)


@login_required
def arrivals_export(request, file_format: str):
    today = timezone.localdate()
    municipalities, ids = _municipalities(request)
    rows = [
        [
            group.reference,
            group.municipality.name,
            group.kind,
            group.status,
            group.expected_on.isoformat(),
            group.arrived_on.isoformat() if group.arrived_on else "",
            group.persons,
            group.open_tasks,
            group.overdue_tasks,
            "yes" if group.has_flat else "no",
        ]
        for group in selectors.export_groups(municipality_ids=ids, today=today)
    ]
    chosen = ", ".join(m.name for m in municipalities if m.pk in ids)
    notes = [
        _("Hemkommun arrivals, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": chosen},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"arrivals-{today:%Y%m%d}",
        sheet=_("Arrivals"),
        headers=EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )
