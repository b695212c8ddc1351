"""Reading an integration programme's action programme from a text file or an .xlsx workbook.

The module returns plain data (themes and their rows) and knows nothing of models. Both formats
become a list of rows, each a line number and its cells, and go through one algorithm:

* A text file's lines are split on tabs (Word's "Save as text" writes a table so); an .xlsx
  sheet's rows are its rows, and every sheet is read on its own. Cells are stripped of
  surrounding whitespace, empty cells at the end of a row are dropped, nothing else is changed:
  markup or formula-like text is returned as it is (escaping is the pages' and exports' job).
* A **header row** has at least two known column names (``HEADER_NAMES``: Swedish, Finnish or
  English, any order, any case) and starts a table. Unknown names beside them, a column named
  twice or a missing action column are errors.
* A table's **theme** is the nearest row with one non-empty cell above its header row (the
  heading). In a sheet without one, the theme is the sheet's name; in a text file it is an error.
* Inside a table every row is a **data row**, except that the table ends at a blank row, or at
  a row with one non-empty cell that is followed (after blank rows, if any) by a header row:
  that row is the next table's heading. So a row with only its goal filled is data, while a
  heading right under a table (no blank line between) still starts the next table.
* Outside tables, rows with one non-empty cell (the introduction, headings) are ignored. A row
  with two or more is an error: it belongs to a table whose header row is missing or misspelt,
  or a blank line cut it off from the table above, and importing nothing without a word (or
  less than the file holds) would be worse. Only the first row of such a block is reported.

All errors found (up to ``MAX_ERRORS``) are raised together in one ``ProgrammeFileError``.
"""

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

COLUMNS = ("goal", "action", "responsible", "partners", "follow_up")

# Per language the names a column may have, the usual one first (it is the one messages show).
_SPELLINGS = {
    "sv": {
        "goal": ("Mål",),
        "action": ("Åtgärd",),
        "responsible": ("Ansvarsinstans",),
        "partners": ("Samarbetspartner", "Samarbetspartners"),
        "follow_up": ("Uppföljning",),
    },
    "fi": {
        "goal": ("Tavoite",),
        "action": ("Toimenpide",),
        "responsible": ("Vastuutaho",),
        "partners": ("Yhteistyökumppani", "Yhteistyökumppanit"),
        "follow_up": ("Seuranta",),
    },
    "en": {
        "goal": ("Goal",),
        "action": ("Action",),
        "responsible": ("Responsible", "Responsible body"),
        "partners": ("Partners", "Partner"),
        "follow_up": ("Follow-up", "Follow up"),
    },
}
HEADER_NAMES: dict[str, str] = {
    name.lower(): column
    for columns in _SPELLINGS.values()
    for column, names in columns.items()
    for name in names
}
_NAME_LANGUAGES = {
    name.lower(): language
    for language, columns in _SPELLINGS.items()
    for names in columns.values()
    for name in names
}

MAX_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5_000
MAX_CELL_CHARS = 4_000
MAX_ERRORS = 20
# Blank lines cost memory too; no real programme comes near this many lines or rows.
MAX_LINES = 100_000
# An .xlsx is a zip file: refuse one that would unpack to far more than its size allows.
MAX_UNPACKED_BYTES = 20 * MAX_BYTES
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ParsedRow:
    line: int  # 1-based line of the text file, or the row number in the sheet
    goal: str
    action: str
    responsible: str
    partners: str
    follow_up: str


@dataclass(frozen=True)
class ParsedTheme:
    title: str
    rows: tuple[ParsedRow, ...]


@dataclass(frozen=True)
class ParsedProgramme:
    themes: tuple[ParsedTheme, ...]

    @property
    def row_count(self) -> int:
        return sum(len(theme.rows) for theme in self.themes)


class ProgrammeFileError(Exception):
    """Why a file cannot be read; ``messages`` are translated, each naming the line (or sheet and row) at fault."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


# Entry points --------------------------------------------------------------------------------


def parse_file(content: bytes, filename: str = "") -> ParsedProgramme:
    """An uploaded file: an .xlsx workbook by its zip signature (or its name), else text."""
    _check_size(len(content))
    if content.startswith(_ZIP_MAGIC) or PurePath(filename).suffix.lower() == ".xlsx":
        return parse_xlsx(content)
    return parse_text(_decode(content))


def parse_text(text: str) -> ParsedProgramme:
    # Characters, not bytes: the text is already decoded, and each character is a byte at least.
    _check_size(len(text))
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    _check_line_count(len(lines))
    rows = [(number, _cells(line.split("\t"))) for number, line in enumerate(lines, start=1)]
    problems = _Problems()
    themes = _read_tables(rows, _line_place, sheet_title=None, problems=problems)
    return _programme(themes, problems)


def parse_xlsx(content: bytes) -> ParsedProgramme:
    _check_size(len(content))
    problems = _Problems()
    themes = []
    for title, rows in _xlsx_sheets(content):
        themes += _read_tables(rows, _sheet_place(title), sheet_title=title, problems=problems)
    return _programme(themes, problems)


def _programme(themes: list[ParsedTheme], problems: "_Problems") -> ParsedProgramme:
    if not themes and not problems.messages:
        problems.add(
            _(
                "The file has no action-programme table. A table starts with a header row whose "
                "columns are named in Swedish (%(swedish)s), Finnish (%(finnish)s) or English (%(english)s)."
            )
            % {"swedish": _usual_names("sv"), "finnish": _usual_names("fi"), "english": _usual_names("en")}
        )
    problems.raise_if_any()
    return ParsedProgramme(themes=tuple(themes))


def _usual_names(language: str) -> str:
    return ", ".join(names[0] for names in _SPELLINGS[language].values())


# Errors --------------------------------------------------------------------------------------


class _Problems:
    """The errors found so far. Past MAX_ERRORS more would only bury the first ones: stop there."""

    def __init__(self):
        self.messages: list[str] = []
        self.data_rows = 0

    def add(self, message: str) -> None:
        self.messages.append(message)
        if len(self.messages) >= MAX_ERRORS:
            raise ProgrammeFileError(self.messages)

    def count_data_row(self) -> None:
        self.data_rows += 1
        if self.data_rows > MAX_DATA_ROWS:
            self.messages.append(
                _("The file has more than %(limit)s rows of actions. Split it into smaller files.")
                % {"limit": MAX_DATA_ROWS}
            )
            raise ProgrammeFileError(self.messages)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ProgrammeFileError(self.messages)


def _fail(message: str):
    raise ProgrammeFileError([message])


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        _fail(_("The file is larger than %(megabytes)s MB.") % {"megabytes": MAX_BYTES // (1024 * 1024)})


def _check_line_count(count: int) -> None:
    if count > MAX_LINES:
        _fail(_("The file has more than %(limit)s lines or rows.") % {"limit": MAX_LINES})


def _line_place(line: int) -> str:
    return _("Line %(line)s") % {"line": line}


def _sheet_place(sheet: str) -> Callable[[int], str]:
    return lambda row: _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet, "row": row}


# Reading the formats -------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    """UTF-8 with or without a BOM, or UTF-16 with one (Word's "Unicode text")."""
    encoding = "utf-16" if content.startswith(_UTF16_BOMS) else "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        text = None
    # NUL characters are no text: UTF-16 without a BOM, or a binary file that happened to decode.
    if text is None or "\x00" in text:
        _fail(_("The file is neither UTF-8 text nor an Excel workbook (.xlsx)."))
    return text


def _xlsx_sheets(content: bytes) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """The visible sheets' titles and rows. Any failure is the file's fault, never a server error."""
    import openpyxl

    _check_unpacked_size(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        _fail(_("The file is not an Excel workbook (.xlsx), or it is damaged."))
    try:
        # Hidden sheets hold lookup lists and the like, not the programme.
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        return [(sheet.title, list(_xlsx_rows(sheet))) for sheet in visible]
    except ProgrammeFileError:
        raise
    except Exception:
        _fail(_("The Excel workbook (.xlsx) is damaged and cannot be read."))
    finally:
        workbook.close()


def _check_unpacked_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        _fail(_("The file is not an Excel workbook (.xlsx), or it is damaged."))
    if unpacked > MAX_UNPACKED_BYTES:
        _fail(_("The Excel workbook (.xlsx) is too large when unpacked."))


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    # A sheet's recorded size may reach far past its data (a million empty rows): read the rows
    # its XML holds. Rows missing between them come back empty, so the numbering stays right.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        _check_line_count(number)
        yield number, _cells(_cell_text(value) for value in values)


def _cell_text(value) -> str:
    """An .xlsx value as the text it shows: numbers without a needless ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cells(raw) -> list[str]:
    """Stripped cells without the empty ones at the end (a trailing tab or a formatted column)."""
    cells = [cell.strip() for cell in raw]
    while cells and not cells[-1]:
        cells.pop()
    return cells


# The tables ----------------------------------------------------------------------------------


@dataclass
class _Table:
    title: str
    header: list[str] | None  # the header row's cells; None in a table without a header row
    columns: list[str | None]  # per cell of the header, its column; None for an empty or unknown name
    rows: list[ParsedRow]


def _read_tables(
    rows: list[tuple[int, list[str]]],
    place: Callable[[int], str],
    *,
    sheet_title: str | None,
    problems: _Problems,
) -> list[ParsedTheme]:
    """The themes of one text or one sheet, following the rules in the module's docstring."""
    themes: list[ParsedTheme] = []
    table: _Table | None = None
    heading: tuple[int, str] | None = None  # the latest one-cell row outside a table
    seen_header = False
    for index, (line, cells) in enumerate(rows):
        filled = sum(1 for cell in cells if cell)
        if _is_header(cells):
            _close(table, themes)
            title = _theme_title(heading, sheet_title, line, place, problems)
            table = _Table(title, cells, _header_columns(cells, line, place, problems), [])
            heading, seen_header = None, True
        elif table is not None and _ends_table(rows, index, filled):
            _close(table, themes)
            table = None
            heading = (line, _only_cell(cells)) if filled else None
        elif table is not None:
            _add_data_row(table, line, cells, place, problems)
        elif filled == 1:
            heading = (line, _only_cell(cells))
        elif filled > 1:
            # Report the first row of a table without a header once; the rest follow from it.
            _report_headerless(line, place, problems, seen_header)
            table = _Table("", None, [], [])
    _close(table, themes)
    return themes


def _is_header(cells: list[str]) -> bool:
    return sum(1 for cell in cells if _header_key(cell) in HEADER_NAMES) >= 2


def _header_key(cell: str) -> str:
    # "Mål" typed on a Mac may come decomposed (a + ring): compare the composed form.
    return unicodedata.normalize("NFC", cell).lower()


def _ends_table(rows: list[tuple[int, list[str]]], index: int, filled: int) -> bool:
    """A blank row ends a table; so does a one-cell row that is the heading of a next table."""
    if filled == 0:
        return True
    if filled > 1:
        return False
    following = (rows[i][1] for i in range(index + 1, len(rows)) if rows[i][1])
    return _is_header(next(following, []))


def _only_cell(cells: list[str]) -> str:
    return next(cell for cell in cells if cell)


def _close(table: _Table | None, themes: list[ParsedTheme]) -> None:
    # A table without a header row was reported already; it has no theme.
    if table is not None and table.header is not None:
        themes.append(ParsedTheme(title=table.title, rows=tuple(table.rows)))


def _theme_title(
    heading: tuple[int, str] | None,
    sheet_title: str | None,
    line: int,
    place: Callable[[int], str],
    problems: _Problems,
) -> str:
    if heading is None:
        if sheet_title is None:
            problems.add(
                _(
                    "%(place)s: the table has no theme above it. Write the theme on its own line above the header row."
                )
                % {"place": place(line)}
            )
            return ""
        return sheet_title
    heading_line, title = heading
    _check_cell_length(title, heading_line, place, problems)
    return title


def _header_columns(
    cells: list[str], line: int, place: Callable[[int], str], problems: _Problems
) -> list[str | None]:
    """The column of each cell of a header row; None for an empty or unknown one (reported)."""
    columns: list[str | None] = []
    first_names: dict[str, str] = {}
    for cell in cells:
        column = HEADER_NAMES.get(_header_key(cell))
        if cell and column is None:
            problems.add(
                _(
                    "%(place)s: “%(name)s” is not a column of the action programme. The columns are %(columns)s."
                )
                % {"place": place(line), "name": cell, "columns": _usual_names(_language_of(cells))}
            )
        elif column in first_names:
            problems.add(
                _("%(place)s: the header row names the same column twice: “%(first)s” and “%(second)s”.")
                % {"place": place(line), "first": first_names[column], "second": cell}
            )
            column = None
        elif column is not None:
            first_names[column] = cell
        columns.append(column)
    if "action" not in first_names:
        problems.add(
            _("%(place)s: the header row has no action column (%(names)s).")
            % {"place": place(line), "names": ", ".join(_SPELLINGS[code]["action"][0] for code in _SPELLINGS)}
        )
    return columns


def _language_of(header: list[str]) -> str:
    """The language of a header row's first known name: messages list the columns in it."""
    keys = (_header_key(cell) for cell in header)
    return next((_NAME_LANGUAGES[key] for key in keys if key in _NAME_LANGUAGES), "en")


def _add_data_row(
    table: _Table, line: int, cells: list[str], place: Callable[[int], str], problems: _Problems
) -> None:
    if table.header is None:  # the rest of a table without a header row
        return
    if len(cells) > len(table.header):
        problems.add(_("%(place)s: the row has more cells than the header row has.") % {"place": place(line)})
        return
    # A value under a header cell left empty would be lost without a word.
    if any(cell and not name for cell, name in zip(cells, table.header, strict=False)):
        problems.add(
            _("%(place)s: the row has a value in a column whose header cell is empty.")
            % {"place": place(line)}
        )
        return
    values = dict.fromkeys(COLUMNS, "")
    for column, cell in zip(table.columns, cells, strict=False):
        if column is not None:
            values[column] = cell
            _check_cell_length(cell, line, place, problems)
    # Only cells under unknown columns: nothing to keep (the columns were reported).
    if any(values.values()):
        problems.count_data_row()
        table.rows.append(ParsedRow(line=line, **values))


def _check_cell_length(cell: str, line: int, place: Callable[[int], str], problems: _Problems) -> None:
    if len(cell) > MAX_CELL_CHARS:
        problems.add(
            _("%(place)s: a cell is longer than %(limit)s characters.")
            % {"place": place(line), "limit": MAX_CELL_CHARS}
        )


def _report_headerless(
    line: int, place: Callable[[int], str], problems: _Problems, seen_header: bool
) -> None:
    if seen_header:
        message = _(
            "%(place)s: a table row outside a table. A blank line ends a table: remove the blank line "
            "above this row, or start a new table with a header row."
        )
    else:
        message = _(
            "%(place)s: a table row before any header row. A table starts with a header row of "
            "the columns %(columns)s (or their Swedish or Finnish names: %(swedish)s; %(finnish)s)."
        )
    problems.add(
        message
        % {
            "place": place(line),
            "columns": _usual_names("en"),
            "swedish": _usual_names("sv"),
            "finnish": _usual_names("fi"),
        }
    )
