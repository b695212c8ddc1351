"""Import of an existing client register from a CSV or .xlsx file (docs/import.md).

Municipalities move from spreadsheets: each row is one client, keyed on the organisation and
the ``external_id`` of the old register. Every row is checked with the client services' own
rules first; only when no row has an error is anything written, in one transaction, through
the same services as the pages. Rows whose data equal the register are left alone, so a file
imported twice changes nothing the second time.
"""

import copy
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemkommun.access import policy
from hemkommun.organizations.models import Organisation

from . import services
from .codes import LANGUAGES, Relation, ResidenceGround, Sex
from .dates import parse_birth_date
from .models import Client, Household, HouseholdMember

REQUIRED_COLUMNS = (
    "external_id",
    "family_name",
    "given_names",
    "date_of_birth",
    "sex",
    "identity_code",
    "municipality_code",
    "residence_ground",
    "first_permit_date",
    "home_municipality_date",
    "arrival_date",
    "native_language",
    "interpreter_language",
    "household_id",
    "relation",
)
EXTRA_COLUMNS = (
    "family_name_latin",
    "given_names_latin",
    "preferred_name",
    "identity_code_is_temporary",
    "migri_customer_number",
    "citizenships",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
    "client_since",
    "unaccompanied_minor",
    "interpreter_needed",
)
# Columns copied as they are; the client services normalise and validate them.
_TEXT_COLUMNS = (
    "external_id",
    "family_name",
    "given_names",
    "identity_code",
    "family_name_latin",
    "given_names_latin",
    "preferred_name",
    "migri_customer_number",
    "citizenships",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
)
_DATE_COLUMNS = ("first_permit_date", "home_municipality_date", "arrival_date", "client_since")
_BOOLEAN_COLUMNS = ("identity_code_is_temporary", "unaccompanied_minor")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The service reports some rules on model fields; the file calls them by its own column names.
_FIELD_COLUMNS = {
    "birth_year": "date_of_birth",
    "birth_month": "date_of_birth",
    "birth_day": "date_of_birth",
    "municipality_of_residence": "municipality_code",
    NON_FIELD_ERRORS: "",
}
# A leading apostrophe is how spreadsheets (and our own exports) mark formula-looking text.
_QUOTED_FORMULA = re.compile(r"^'(?=[=+\-@])")
_ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_ROWS = 100_000
# An .xlsx is a zip file: refuse one that would unpack to far more than its size allows.
_MAX_UNPACKED_RATIO = 10


class Action(models.TextChoices):
    CREATE = "create", gettext_lazy("create")
    UPDATE = "update", gettext_lazy("update")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, too big, undecodable, columns missing."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class RowError:
    column: str
    message: str
    code: str


@dataclass
class RowOutcome:
    """What happens (or would happen) to one row; ``line`` counts the header as line 1."""

    line: int
    external_id: str
    action: str = ""
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, column: str, message, code: str) -> None:
        self.errors.append(RowError(column=column, message=str(message), code=code))

    def get_action_display(self) -> str:
        return str(Action(self.action).label) if self.action else ""


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def bad_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows

    @property
    def counts(self) -> dict[str, int]:
        """Rows by action among the good rows, and the number of bad rows under ``error``."""
        counts = dict.fromkeys([*Action.values, "error"], 0)
        for row in self.rows:
            counts["error" if row.errors else row.action] += 1
        return counts


@dataclass
class SourceRow:
    line: int
    values: dict[str, str]
    overflow: bool = False


@dataclass
class SourceFile:
    columns: list[str]
    rows: list[SourceRow]
    notices: list[str]


@dataclass
class _Plan:
    outcome: RowOutcome
    data: dict
    household_id: str
    relation: str
    client: Client | None = None
    client_changed: bool = False
    household_changed: bool = False


# Reading the file ---------------------------------------------------------------------------


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def check_size(size: int) -> None:
    """Refuse a file over settings.IMPORT_MAX_BYTES before anyone reads it."""
    if size > max_bytes():
        raise ImportFileError(
            _("The file is larger than %(size)s. Split it into smaller files.")
            % {"size": filesizeformat(max_bytes())},
            "too_big",
        )


def read_file(*, content: bytes, filename: str) -> SourceFile:
    """The rows of a CSV or .xlsx file as text by column name. Raises ImportFileError."""
    check_size(len(content))
    suffix = PurePath(filename or "").suffix.lower()
    if content.startswith(_ZIP_MAGIC):
        records = _xlsx_records(content)
    elif suffix in (".csv", ".txt"):
        records = _csv_records(content)
    elif suffix in (".xlsx", ".xls"):
        raise ImportFileError(
            _("This is not an .xlsx file. Save it in Excel as “Excel workbook (.xlsx)” or as CSV UTF-8."),
            "not_xlsx",
        )
    else:
        raise ImportFileError(_("Choose a .csv or .xlsx file."), "file_type")
    with closing(records):
        return _table(records)


def _csv_records(content: bytes) -> Iterator[tuple[int, list]]:
    if b"\x00" in content:
        raise ImportFileError(_("This is not a text CSV file."), "not_text")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8. Save it as “CSV UTF-8” and try again."), "encoding"
        ) from None
    # The header names hold no delimiter, so the one the header line uses most is the one.
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s.") % {"line": line}, "csv_malformed"
        ) from None


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list]]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("The .xlsx file is damaged."), "xlsx_damaged") from None
    if unpacked > _MAX_UNPACKED_RATIO * max_bytes():
        raise ImportFileError(_("The .xlsx file is too large when unpacked."), "too_big")
    try:
        # read_only streams the sheet; data_only=False gives a formula's text, never its result.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # any failure to parse a user's file is the file's fault, not a 500
        raise ImportFileError(_("The .xlsx file cannot be read."), "xlsx_damaged") from None
    try:
        if len(workbook.worksheets) > 1:
            yield 0, [_("Only the first worksheet was read.")]
        sheet = workbook.worksheets[0]
        try:
            for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, list(cells)
        except Exception:
            raise ImportFileError(_("The .xlsx file cannot be read."), "xlsx_damaged") from None
    finally:
        workbook.close()


def _table(records: Iterable[tuple[int, list]]) -> SourceFile:
    header: list[str] | None = None
    rows: list[SourceRow] = []
    notices: list[str] = []
    limit = max_rows()
    for line, raw_cells in records:
        if line == 0:  # a notice from the reader, not a row
            notices.extend(raw_cells)
            continue
        cells = [_cell_text(value) for value in raw_cells]
        if not any(cells):
            continue
        if header is None:
            header = _header(cells, notices)
            continue
        if len(rows) >= limit:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": limit},
                "too_many_rows",
            )
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        rows.append(SourceRow(line=line, values=values, overflow=any(cells[len(header) :])))
    if header is None:
        raise ImportFileError(_("The file is empty."), "empty")
    return SourceFile(columns=[name for name in header if name], rows=rows, notices=notices)


def _header(cells: list[str], notices: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    duplicates = sorted({name for name in names if name and names.count(name) > 1})
    if duplicates:
        raise ImportFileError(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(duplicates)},
            "duplicate_columns",
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            "missing_columns",
        )
    known = set(REQUIRED_COLUMNS) | set(EXTRA_COLUMNS)
    unknown = [name for name in names if name and name not in known]
    if unknown:
        notices.append(_("These columns are not imported: %(columns)s.") % {"columns": ", ".join(unknown)})
    # Unknown columns are read as no column at all.
    return [name if name in known else "" for name in names]


def _cell_text(value) -> str:
    """A cell as text. Numbers, dates and booleans from .xlsx become the text they stand for."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return _QUOTED_FORMULA.sub("", text.strip())


# Checking the rows --------------------------------------------------------------------------


def _row_data(values: dict[str, str], municipalities: dict[str, Organisation], outcome: RowOutcome) -> dict:
    """The service data a row stands for; what cannot be parsed is reported and left out."""
    data = {column: values[column] for column in _TEXT_COLUMNS if column in values}
    try:
        data["birth_year"], data["birth_month"], data["birth_day"] = parse_birth_date(values["date_of_birth"])
    except ValidationError as error:
        outcome.add_error("date_of_birth", error.messages[0], error.code)
    _choice(data, values, outcome, "sex", Sex.values, values["sex"].upper())
    _choice(data, values, outcome, "residence_ground", ResidenceGround.values)
    _choice(data, values, outcome, "native_language", LANGUAGES)
    _choice(data, values, outcome, "interpreter_language", LANGUAGES)
    code = values["municipality_code"]
    if code and code not in municipalities:
        outcome.add_error(
            "municipality_code",
            _("No municipality has the code “%(code)s”.") % {"code": code},
            "municipality_unknown",
        )
    else:
        data["municipality_of_residence"] = municipalities.get(code)
    for column in _DATE_COLUMNS:
        if column in values:
            _date(data, values[column], column, outcome)
    for column in (*_BOOLEAN_COLUMNS, "interpreter_needed"):
        if column in values:
            _boolean(data, values[column], column, outcome)
    # Asking for an interpreter language means an interpreter is needed, unless the file says no.
    if data.get("interpreter_needed") is None:
        data["interpreter_needed"] = bool(values["interpreter_language"])
    for column in _BOOLEAN_COLUMNS:
        if data.get(column) is None and column in values:
            data[column] = False
    return data


def _choice(data: dict, values: dict, outcome: RowOutcome, column: str, allowed, value: str | None = None):
    value = values[column].lower() if value is None else value
    if value and value not in allowed:
        outcome.add_error(
            column,
            _("“%(value)s” is not a code of this column; use one of: %(codes)s.")
            % {"value": values[column], "codes": ", ".join(sorted(allowed))},
            f"{column}_unknown",
        )
    else:
        data[column] = value


def _date(data: dict, text: str, column: str, outcome: RowOutcome) -> None:
    if not text:
        data[column] = None
        return
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        data[column] = datetime.date.fromisoformat(text)
    except ValueError:
        outcome.add_error(
            column, _("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": text}, "date_format"
        )


def _boolean(data: dict, text: str, column: str, outcome: RowOutcome) -> None:
    lowered = text.lower()
    if lowered in _TRUE:
        data[column] = True
    elif lowered in _FALSE:
        data[column] = False
    elif not lowered:
        data[column] = None
    else:
        outcome.add_error(
            column,
            _("“%(value)s” is not yes or no: write true, false, yes, no, 1 or 0.") % {"value": text},
            "boolean_format",
        )


def _row_household(values: dict[str, str], outcome: RowOutcome) -> tuple[str, str]:
    household_id, relation = values["household_id"], values["relation"].lower()
    if len(household_id) > 64:
        outcome.add_error("household_id", _("A household id has at most 64 characters."), "household_id_long")
    if relation and relation not in Relation.values:
        outcome.add_error(
            "relation",
            _("“%(value)s” is not a relation; use one of: %(codes)s.")
            % {"value": values["relation"], "codes": ", ".join(Relation.values)},
            "relation_unknown",
        )
    elif relation and not household_id:
        outcome.add_error("relation", _("A relation needs a household_id."), "relation_without_household")
    elif household_id and not relation:
        outcome.add_error("relation", _("Give the relation to the household."), "relation_missing")
    return household_id, relation


def _service_errors(error: ValidationError, outcome: RowOutcome) -> None:
    """The service's reasons, under the file's column names; one reason per column is enough
    where parsing already found one."""
    failed = {row_error.column for row_error in outcome.errors}
    errors = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    for model_field, field_errors in errors.items():
        column = _FIELD_COLUMNS.get(model_field, model_field)
        if column in failed:
            continue
        for field_error in field_errors:
            for message in field_error.messages:
                outcome.add_error(column, message, field_error.code or "invalid")


def _client_differs(current: Client, candidate: Client) -> bool:
    for name in services.EDITABLE_FIELDS:
        attname = Client._meta.get_field(name).attname
        if getattr(current, attname) != getattr(candidate, attname):
            return True
    return False


def _household_differs(client: Client | None, household_id: str, relation: str) -> bool:
    # An empty household_id leaves an existing link alone: the import never breaks up households.
    if not household_id:
        return False
    try:
        member = client.household_member if client else None
    except HouseholdMember.DoesNotExist:
        member = None
    return member is None or (member.household.external_id, member.relation) != (household_id, relation)


class _Checker:
    """Checks the rows of one file against the register, with the lookups read once."""

    def __init__(self, *, by, organisation: Organisation):
        self.by = by
        self.organisation = organisation
        # One query each for the whole file rather than one per row.
        self.existing = {
            client.external_id: client
            for client in Client.objects.filter(organisation=organisation)
            .exclude(external_id="")
            .select_related("household_member__household")
        }
        self.municipalities = {
            municipality.municipality_code: municipality
            for municipality in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(
                municipality_code=""
            )
        }
        self.lines_by_external_id: dict[str, int] = {}
        self.lines_by_identity_code: dict[str, int] = {}

    def plan(self, row: SourceRow) -> _Plan:
        outcome = RowOutcome(line=row.line, external_id=row.values["external_id"])
        data = _row_data(row.values, self.municipalities, outcome)
        household_id, relation = _row_household(row.values, outcome)
        if row.overflow:
            outcome.add_error("", _("The row has more cells than the header has columns."), "row_overflow")
        self._check_external_id(outcome)
        current = self.existing.get(outcome.external_id) if outcome.external_id else None
        # A copy, so that checking never touches the instance the real run may update.
        candidate = copy.copy(current) if current else Client(organisation=self.organisation)
        try:
            services.client_validate(client=candidate, by=self.by, data=data)
        except ValidationError as error:
            _service_errors(error, outcome)
        self._check_identity_code(candidate.identity_code, outcome)
        plan = _Plan(outcome=outcome, data=data, household_id=household_id, relation=relation, client=current)
        plan.client_changed = current is None or _client_differs(current, candidate)
        plan.household_changed = _household_differs(current, household_id, relation)
        if current is None:
            outcome.action = Action.CREATE
        elif plan.client_changed or plan.household_changed:
            outcome.action = Action.UPDATE
        else:
            outcome.action = Action.UNCHANGED
        return plan

    def _check_external_id(self, outcome: RowOutcome) -> None:
        if not outcome.external_id:
            outcome.add_error("external_id", _("Every row needs an external_id."), "external_id_missing")
        elif outcome.external_id in self.lines_by_external_id:
            outcome.add_error(
                "external_id",
                _("The same external_id is also on line %(line)s.")
                % {"line": self.lines_by_external_id[outcome.external_id]},
                "external_id_repeated",
            )
        else:
            self.lines_by_external_id[outcome.external_id] = outcome.line

    def _check_identity_code(self, identity_code: str, outcome: RowOutcome) -> None:
        if not identity_code:
            return
        if identity_code in self.lines_by_identity_code:
            outcome.add_error(
                "identity_code",
                _("The same identity code is also on line %(line)s.")
                % {"line": self.lines_by_identity_code[identity_code]},
                "identity_code_repeated",
            )
        else:
            self.lines_by_identity_code[identity_code] = outcome.line


# Writing ------------------------------------------------------------------------------------


class _Rollback(Exception):
    """A row failed while writing: undo the rows written before it."""


def _write(*, by, organisation: Organisation, plans: list[_Plan], result: ImportResult) -> None:
    try:
        with transaction.atomic():
            households = {
                household.external_id: household
                for household in Household.objects.filter(organisation=organisation).exclude(external_id="")
            }
            for plan in plans:
                _write_row(by=by, organisation=organisation, plan=plan, households=households)
    except _Rollback:
        return
    except IntegrityError:
        # Someone changed the register between the check and the write.
        result.file_errors.append(
            _("The register changed during the import, so nothing was written. Try again.")
        )
        return
    result.written = True


def _write_row(*, by, organisation: Organisation, plan: _Plan, households: dict[str, Household]) -> None:
    try:
        client = plan.client
        if client is None:
            client = services.client_create(by=by, organisation=organisation, data=plan.data)
        elif plan.client_changed:
            services.client_update(client=client, by=by, data=plan.data)
        if plan.household_changed:
            household = households.get(plan.household_id)
            if household is None:
                household = services.household_for_external_id(
                    by=by, organisation=organisation, external_id=plan.household_id
                )
                households[plan.household_id] = household
            services.household_link(by=by, client=client, household=household, relation=plan.relation)
    except ValidationError as error:
        _service_errors(error, plan.outcome)
        raise _Rollback from error


def import_clients(
    *, by, organisation: Organisation, content: bytes, filename: str, dry_run: bool
) -> ImportResult:
    """Check a register file and, unless ``dry_run`` or any row is bad, import all of it.

    Raises ValidationError when ``by`` may not import into ``organisation``; everything wrong
    with the file itself is in the result, never raised.
    """
    if organisation not in policy.importable_organisations(by):
        raise ValidationError(
            _("You may not import clients into this organisation."), code="import_forbidden"
        )
    result = ImportResult(dry_run=dry_run)
    try:
        source = read_file(content=content, filename=filename)
    except ImportFileError as error:
        result.file_errors.append(error.message)
        return result
    result.notices.extend(source.notices)
    checker = _Checker(by=by, organisation=organisation)
    plans = [checker.plan(row) for row in source.rows]
    result.rows = [plan.outcome for plan in plans]
    if not source.rows:
        result.notices.append(_("The file has no rows after the header."))
    if result.ok and not dry_run:
        changes = [plan for plan in plans if plan.outcome.action != Action.UNCHANGED]
        _write(by=by, organisation=organisation, plans=changes, result=result)
    return result
