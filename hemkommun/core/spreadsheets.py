"""Writing CSV and .xlsx files that a spreadsheet program opens safely."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.http import HttpResponse

# A cell starting with one of these is a formula to Excel and LibreOffice: prefix it with a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """The value as a spreadsheet shows it, never evaluated as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()) -> bytes:
    """UTF-8 with a BOM (so Excel reads the letters right); notes such as the filters come first."""
    buffer = io.StringIO()
    _write_csv(buffer, headers=headers, rows=rows, notes=notes)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _write_csv(stream, *, headers: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str]) -> None:
    writer = csv.writer(stream)
    for note in notes:
        writer.writerow([safe_cell(note)])
    if notes:
        writer.writerow([])
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    notes: Sequence[str] = ()


def xlsx_bytes(
    *, sheet: str, headers: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()
) -> bytes:
    """One worksheet: notes on top, then a bold header row and the data, strings never formulas."""
    return workbook_bytes([Sheet(sheet, headers, rows, notes)])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several worksheets, each laid out as ``xlsx_bytes`` lays out one."""
    buffer = io.BytesIO()
    _write_workbook(buffer, sheets, {"in_memory": True})
    return buffer.getvalue()


def _write_workbook(target, sheets: Sequence[Sheet], options: dict) -> None:
    workbook = xlsxwriter.Workbook(
        target, {"strings_to_formulas": False, "strings_to_urls": False, **options}
    )
    bold = workbook.add_format({"bold": True})
    for sheet in sheets:
        _write_sheet(workbook.add_worksheet(sheet.name[:31]), bold, sheet)
    workbook.close()


def write_spreadsheet_file(
    path, *, file_format: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence], notes=()
) -> None:
    """The file ``csv_bytes`` or ``xlsx_bytes`` would make, written to ``path`` row by row, so
    that a large export (a background job) never holds all its rows in memory at once."""
    if file_format == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            _write_csv(stream, headers=headers, rows=rows, notes=notes)
    else:
        # constant_memory: each row goes to a temporary file once the next one begins.
        _write_workbook(str(path), [Sheet(sheet, headers, rows, notes)], {"constant_memory": True})


def _write_sheet(worksheet, bold, sheet: Sheet) -> None:
    row_number = 0
    for note in sheet.notes:
        worksheet.write_string(row_number, 0, str(note))
        row_number += 1
    if sheet.notes:
        row_number += 1
    for column, header in enumerate(sheet.headers):
        worksheet.write_string(row_number, column, str(header), bold)
    for row in sheet.rows:
        row_number += 1
        for column, value in enumerate(row):
            if value is None:  # an empty cell, not an empty string
                continue
            cell = safe_cell(value)
            if isinstance(cell, str):
                worksheet.write_string(row_number, column, cell)
            else:
                worksheet.write_number(row_number, column, cell)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_response(
    *, file_format: str, filename: str, sheet: str, headers: Sequence[str], rows, notes: Sequence[str] = ()
) -> HttpResponse:
    """A list as a CSV or .xlsx download named ``filename``.``file_format``, notes (who exported
    it, when, with which filters) above the table."""
    if file_format == "csv":
        content = csv_bytes(headers=headers, rows=rows, notes=notes)
    else:
        content = xlsx_bytes(sheet=sheet, headers=headers, rows=rows, notes=notes)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
