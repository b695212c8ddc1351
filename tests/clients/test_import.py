"""Import of a client register from CSV and .xlsx: good, bad and repeated files."""

import datetime
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from hemkommun.clients import importing
from hemkommun.clients.models import Client, Household, HouseholdMember
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

COLUMNS = list(importing.REQUIRED_COLUMNS)


def hetu(day: int, month: int, year: int, serial: int = 123) -> str:
    """A valid Finnish identity code for the date (check character per the Population Information Act)."""
    digits = f"{day:02d}{month:02d}{year % 100:02d}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{digits}{serial:03d}") % 31]
    century = {18: "+", 19: "-", 20: "A"}[year // 100]
    return f"{digits}{century}{serial:03d}{check}"


def row(**values) -> dict:
    base = dict.fromkeys(COLUMNS, "")
    base.update(values)
    return base


FAMILY = [
    row(
        external_id="K-1",
        family_name="حداد",
        given_names="أحمد",
        family_name_latin="Haddad",
        given_names_latin="Ahmad",
        date_of_birth="1980-05-17",
        sex="M",
        identity_code=hetu(17, 5, 1980),
        municipality_code="545",
        residence_ground="quota_refugee",
        first_permit_date="2023-01-10",
        home_municipality_date="2023-02-01",
        arrival_date="2023-01-20",
        native_language="ar",
        interpreter_language="ar",
        household_id="H-1",
        relation="head",
    ),
    row(
        external_id="K-2",
        family_name="Haddad",
        given_names="Fatima",
        date_of_birth="1983-11",
        sex="F",
        municipality_code="545",
        residence_ground="family_of_protected",
        native_language="ar",
        household_id="H-1",
        relation="spouse",
    ),
    row(
        external_id="K-3",
        family_name="Haddad",
        given_names="Yusuf",
        date_of_birth="2015",
        municipality_code="545",
        residence_ground="family_of_protected",
        native_language="ar",
        household_id="H-1",
        relation="child",
    ),
]


def csv_file(
    rows: list[dict], columns: list[str] | None = None, delimiter: str = ",", bom: bool = False
) -> bytes:
    columns = columns or list(rows[0]) if rows else COLUMNS
    lines = [delimiter.join(columns)]
    for values in rows:
        cells = []
        for column in columns:
            text = str(values.get(column, ""))
            if any(ch in text for ch in (delimiter, '"', "\n")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_file(rows: list[list], columns: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns or COLUMNS)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


def run(by, organisation, content: bytes, *, filename: str = "register.csv", dry_run: bool = False):
    return importing.import_clients(
        by=by, organisation=organisation, content=content, filename=filename, dry_run=dry_run
    )


def errors_of(result) -> set[tuple[int, str, str]]:
    return {(r.line, e.column, e.code) for r in result.rows for e in r.errors}


def test_good_csv_creates_clients_with_partial_birth_dates_and_a_household(narpes, coordinator):
    result = run(coordinator, narpes, csv_file(FAMILY))

    assert result.ok and result.written
    assert result.counts == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert [(r.line, r.external_id, r.action) for r in result.rows] == [
        (2, "K-1", "create"),
        (3, "K-2", "create"),
        (4, "K-3", "create"),
    ]
    head = Client.objects.get(organisation=narpes, external_id="K-1")
    assert (head.family_name, head.family_name_latin) == ("حداد", "Haddad")
    assert head.date_of_birth_display == "1980-05-17"
    assert head.identity_code == hetu(17, 5, 1980)
    assert head.municipality_of_residence == narpes
    assert head.residence_ground == "quota_refugee"
    assert head.arrival_date == datetime.date(2023, 1, 20)
    assert head.interpreter_needed and head.interpreter_language == "ar"
    spouse = Client.objects.get(external_id="K-2")
    assert (spouse.birth_year, spouse.birth_month, spouse.birth_day) == (1983, 11, None)
    assert not spouse.interpreter_needed
    child = Client.objects.get(external_id="K-3")
    assert (child.birth_year, child.birth_month, child.birth_day) == (2015, None, None)
    household = Household.objects.get(organisation=narpes, external_id="H-1")
    assert {(m.client.external_id, m.relation) for m in household.members.all()} == {
        ("K-1", "head"),
        ("K-2", "spouse"),
        ("K-3", "child"),
    }
    entry = head.history.get(action=LogEntry.Action.CREATE)
    assert entry.actor == coordinator


def test_good_xlsx_with_typed_cells(narpes, coordinator):
    index = {column: i for i, column in enumerate(COLUMNS)}

    def cells(**values) -> list:
        line = [None] * len(COLUMNS)
        for column, value in values.items():
            line[index[column]] = value
        return line

    content = xlsx_file(
        [
            # Spreadsheets give dates as dates and numbers as numbers.
            cells(
                external_id=1001,
                family_name="Шевченко",
                given_names="Олена",
                date_of_birth=datetime.datetime(1990, 3, 4),
                sex="F",
                identity_code=hetu(4, 3, 1990),
                municipality_code=545,
                residence_ground="temporary_protection",
                arrival_date=datetime.datetime(2022, 4, 1),
                native_language="uk",
            ),
            cells(external_id=1002, family_name="Warsame", given_names="Hodan", date_of_birth=1999),
            cells(external_id="1003", family_name="Ahmadi", given_names="Zahra", date_of_birth="2001-07"),
        ]
    )
    result = run(coordinator, narpes, content, filename="register.xlsx")

    assert result.ok and result.counts["create"] == 3
    olena = Client.objects.get(external_id="1001")
    assert olena.family_name_latin == "Shevchenko"
    assert olena.date_of_birth_display == "1990-03-04"
    assert olena.arrival_date == datetime.date(2022, 4, 1)
    assert olena.municipality_of_residence == narpes
    assert Client.objects.get(external_id="1002").date_of_birth_display == "1999"
    assert Client.objects.get(external_id="1003").date_of_birth_display == "2001-07"


def test_every_bad_row_is_reported_with_line_and_reason_and_nothing_is_written(narpes, coordinator):
    entries = LogEntry.objects.count()
    rows = [
        FAMILY[1],  # line 2 is good
        row(external_id="B-3", family_name="A", given_names="B", identity_code="131052-308X"),
        row(external_id="B-4", family_name="A", given_names="B", date_of_birth="17.5.1980"),
        row(external_id="B-5", family_name="A", given_names="B", native_language="arabic"),
        row(external_id="B-6", family_name="A", given_names="B", municipality_code="999"),
        row(external_id="B-7", family_name="A", given_names="B", relation="child"),
        row(external_id="", family_name="A", given_names="B"),
        row(external_id="B-3", family_name="A", given_names="C"),
        row(external_id="B-10", family_name="A", given_names="B", identity_code=hetu(1, 2, 1970)),
        row(external_id="B-11", family_name="A", given_names="B", identity_code=hetu(1, 2, 1970).lower()),
        row(external_id="B-12", family_name="A", given_names="B", arrival_date="2023-13-01"),
        row(external_id="B-13", family_name="A", given_names="B", sex="Q", residence_ground="refugee"),
        row(external_id="B-14", family_name="", given_names="B", household_id="H-9"),
        row(
            external_id="B-15",
            family_name="A",
            given_names="B",
            date_of_birth="1980",
            identity_code=hetu(3, 3, 1981),
        ),
    ]
    result = run(coordinator, narpes, csv_file(rows))

    assert not result.ok and not result.written
    assert errors_of(result) == {
        (3, "identity_code", "identity_code_invalid"),
        (4, "date_of_birth", "birth_date_format"),
        (5, "native_language", "native_language_unknown"),
        (6, "municipality_code", "municipality_unknown"),
        (7, "relation", "relation_without_household"),
        (8, "external_id", "external_id_missing"),
        (9, "external_id", "external_id_repeated"),
        (11, "identity_code", "identity_code_repeated"),
        (12, "arrival_date", "date_format"),
        (13, "sex", "sex_unknown"),
        (13, "residence_ground", "residence_ground_unknown"),
        (14, "family_name", "blank"),
        (14, "relation", "relation_missing"),
        (15, "identity_code", "identity_code_birth_mismatch"),
    }
    assert result.counts["error"] == 12  # line 10 is fine: line 11 repeats its code
    assert all(error.message for r in result.bad_rows for error in r.errors)
    assert not Client.objects.exists()
    assert not Household.objects.exists()
    assert LogEntry.objects.count() == entries


def test_one_bad_row_stops_the_whole_import(narpes, coordinator):
    rows = [*FAMILY, row(external_id="K-4", family_name="Haddad", given_names="Sara", date_of_birth="2031")]
    result = run(coordinator, narpes, csv_file(rows))

    assert [(r.line, r.errors[0].code) for r in result.bad_rows] == [(5, "birth_date_range")]
    assert not result.written
    assert not Client.objects.exists()


def test_dry_run_reports_and_writes_nothing(narpes, coordinator):
    entries = LogEntry.objects.count()
    result = run(coordinator, narpes, csv_file(FAMILY), dry_run=True)

    assert result.ok and not result.written
    assert result.counts == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert not Client.objects.exists()
    assert not Household.objects.exists()
    assert LogEntry.objects.count() == entries


def test_importing_the_same_file_again_changes_nothing(narpes, coordinator):
    content = csv_file(FAMILY)
    run(coordinator, narpes, content)
    entries = LogEntry.objects.count()
    stamps = dict(Client.objects.values_list("external_id", "updated_at"))

    result = run(coordinator, narpes, content)

    assert result.ok and result.written
    assert result.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert LogEntry.objects.count() == entries
    assert dict(Client.objects.values_list("external_id", "updated_at")) == stamps
    assert Client.objects.count() == 3 and Household.objects.count() == 1


def test_a_changed_row_updates_only_that_client_with_history(narpes, coordinator):
    run(coordinator, narpes, csv_file(FAMILY))
    changed = [dict(values) for values in FAMILY]
    changed[1]["given_names"] = "Fatma"
    changed[2]["relation"] = "other"

    result = run(coordinator, narpes, csv_file(changed))

    assert [(r.external_id, r.action) for r in result.rows] == [
        ("K-1", "unchanged"),
        ("K-2", "update"),
        ("K-3", "update"),
    ]
    spouse = Client.objects.get(external_id="K-2")
    assert spouse.given_names == "Fatma"
    change = spouse.history.filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["given_names"] == ["Fatima", "Fatma"]
    assert HouseholdMember.objects.get(client__external_id="K-3").relation == "other"
    # Only the household link changed for K-3: the client row itself is not rewritten.
    assert not Client.objects.get(external_id="K-3").history.filter(action=LogEntry.Action.UPDATE).exists()


def test_extra_columns_are_imported_and_unknown_ones_reported(narpes, coordinator):
    extra = {
        "preferred_name": "Ali",
        "identity_code": hetu(1, 1, 1985, serial=912),
        "identity_code_is_temporary": "yes",
        "migri_customer_number": "12345678",
        "citizenships": "sy, iq",
        "phone": "+358 40 123 4567",
        "email": "ali@example.org",
        "street_address": "Storgatan 1",
        "postal_code": "64200",
        "post_office": "Närpes",
        "client_since": "2024-01-15",
        "unaccompanied_minor": "0",
        "interpreter_needed": "no",
        "shoe_size": "44",
    }
    values = row(
        external_id="E-1",
        family_name="Hassan",
        given_names="Ali",
        date_of_birth="1985-01-01",
        interpreter_language="ar",
        **extra,
    )
    result = run(coordinator, narpes, csv_file([values]))

    assert result.ok, errors_of(result)
    assert any("shoe_size" in notice for notice in result.notices)
    client = Client.objects.get(external_id="E-1")
    assert client.identity_code_is_temporary and client.identity_code == hetu(1, 1, 1985, serial=912)
    assert client.citizenships == "SY, IQ"
    assert (client.preferred_name, client.email, client.postal_code) == ("Ali", "ali@example.org", "64200")
    assert client.client_since == datetime.date(2024, 1, 15)
    assert not client.unaccompanied_minor
    # The file says no interpreter although it names a language.
    assert not client.interpreter_needed


def test_missing_required_column_is_a_file_error(narpes, coordinator):
    columns = [column for column in COLUMNS if column != "relation"]
    result = run(coordinator, narpes, csv_file(FAMILY, columns=columns))

    assert result.file_errors and "relation" in result.file_errors[0]
    assert result.rows == [] and not result.written
    assert not Client.objects.exists()


def test_semicolon_csv_with_byte_order_mark(narpes, coordinator):
    result = run(coordinator, narpes, csv_file(FAMILY, delimiter=";", bom=True))

    assert result.ok and result.counts["create"] == 3
    assert Client.objects.get(external_id="K-1").given_names == "أحمد"


def test_markup_and_formulas_are_kept_as_text(narpes, coordinator):
    values = row(
        external_id="X-1",
        family_name="<script>alert(1)</script>",
        given_names='=HYPERLINK("http://evil.example")',
        preferred_name="'=1+2",
        phone="+358 40 1",
    )
    run(coordinator, narpes, csv_file([values]))
    client = Client.objects.get(external_id="X-1")
    assert client.family_name == "<script>alert(1)</script>"
    assert client.given_names == '=HYPERLINK("http://evil.example")'
    # The apostrophe spreadsheets put before formula-looking text is their quoting, not data.
    assert client.preferred_name == "=1+2"
    assert client.phone == "+358 40 1"

    workbook_rows = [["X-2", "Smith", "=1+2"] + [None] * (len(COLUMNS) - 3)]
    run(coordinator, narpes, xlsx_file(workbook_rows), filename="f.xlsx")
    assert Client.objects.get(external_id="X-2").given_names == "=1+2"


def test_line_numbers_count_physical_lines_of_multiline_cells(narpes, coordinator):
    rows = [
        row(external_id="M-1", family_name="A", given_names="B", **{"household_id": ""}),
        row(external_id="M-2", family_name="A", given_names="B", sex="?"),
    ]
    columns = [*COLUMNS, "street_address"]
    rows[0]["street_address"] = "Storgatan 1\nA 5"
    result = run(coordinator, narpes, csv_file(rows, columns=columns))
    assert [(r.line, r.errors[0].column) for r in result.bad_rows] == [(4, "sex")]


def test_identity_code_already_in_the_register_is_a_row_error(narpes, coordinator):
    make_client(narpes, by=coordinator, identity_code=hetu(17, 5, 1980))
    result = run(coordinator, narpes, csv_file(FAMILY))
    assert errors_of(result) == {(2, "identity_code", "identity_code_taken")}
    assert Client.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "filename", "code_word"),
    [
        ("family_name\nÄ".encode("latin-1"), "f.csv", "UTF-8"),
        (b"%PDF-1.7 binary", "f.pdf", ".csv"),
        (b"not really a workbook", "f.xlsx", ".xlsx"),
        (b"PK\x03\x04damaged zip", "f.xlsx", ".xlsx"),
        (b"", "f.csv", ""),
    ],
)
def test_unreadable_files_are_file_errors(narpes, coordinator, content, filename, code_word):
    result = run(coordinator, narpes, content, filename=filename)
    assert len(result.file_errors) == 1 and code_word in result.file_errors[0]
    assert not result.written


@override_settings(IMPORT_MAX_BYTES=200)
def test_too_big_file_is_refused(narpes, coordinator):
    result = run(coordinator, narpes, csv_file(FAMILY))
    assert result.file_errors and not Client.objects.exists()


@override_settings(IMPORT_MAX_ROWS=2)
def test_too_many_rows_are_refused(narpes, coordinator):
    result = run(coordinator, narpes, csv_file(FAMILY))
    assert result.file_errors and "2" in result.file_errors[0]
    assert not Client.objects.exists()


def test_page_checks_then_imports(client, narpes, coordinator):
    client.force_login(coordinator)
    url = reverse("clients:import")
    assert client.get(url).status_code == 200

    upload = io.BytesIO(csv_file(FAMILY))
    upload.name = "register.csv"
    response = client.post(url, {"organisation": narpes.pk, "file": upload, "action": "check"})
    assert response.status_code == 200
    assert response.context["result"].dry_run and response.context["counts"]["create"] == 3
    assert not Client.objects.exists()

    upload = io.BytesIO(csv_file(FAMILY))
    upload.name = "register.csv"
    response = client.post(url, {"organisation": narpes.pk, "file": upload, "action": "import"})
    assert response.context["result"].written
    assert Client.objects.count() == 3


def test_page_shows_bad_rows_escaped(client, narpes, coordinator):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_file([row(external_id="<b>x</b>", family_name="A", given_names="B", sex="<i>")]))
    upload.name = "register.csv"
    response = client.post(
        reverse("clients:import"), {"organisation": narpes.pk, "file": upload, "action": "import"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert '<table class="table table-sm table-striped align-middle" id="import-report">' in content
    assert "&lt;b&gt;x&lt;/b&gt;" in content and "<b>x</b>" not in content
    assert "<i>" not in content
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename"), [(b"\x89PNG\r\n", "photo.png"), (b"\xff\xfe\x00bad", "f.csv"), (b"", "f.csv")]
)
def test_page_answers_bad_uploads_with_a_message(client, narpes, coordinator, content, filename):
    client.force_login(coordinator)
    upload = io.BytesIO(content)
    upload.name = filename
    response = client.post(reverse("clients:import"), {"organisation": narpes.pk, "file": upload})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result and result.file_errors) or response.context["form"].errors


@override_settings(IMPORT_MAX_BYTES=100)
def test_page_refuses_too_big_upload_in_the_form(client, narpes, coordinator):
    client.force_login(coordinator)
    upload = io.BytesIO(csv_file(FAMILY))
    upload.name = "register.csv"
    response = client.post(reverse("clients:import"), {"organisation": narpes.pk, "file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert response.context["result"] is None


def test_command_dry_run_then_import(tmp_path, narpes, coordinator, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(FAMILY))

    call_command(
        "import_clients",
        str(path),
        "--dry-run",
        "--organisation",
        narpes.code,
        "--user",
        coordinator.username,
    )
    assert not Client.objects.exists()

    call_command("import_clients", str(path), "--organisation", narpes.code, "--user", coordinator.username)
    assert Client.objects.count() == 3
    entries = LogEntry.objects.count()
    call_command("import_clients", str(path), "--organisation", narpes.code, "--user", coordinator.username)
    assert LogEntry.objects.count() == entries


def test_command_reports_bad_rows_and_fails(tmp_path, narpes, coordinator):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([FAMILY[0], row(external_id="B", family_name="A", given_names="B", sex="Q")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_clients",
            str(path),
            "--organisation",
            narpes.code,
            "--user",
            coordinator.username,
            stderr=err,
        )
    assert "3 (B) sex" in err.getvalue()
    assert not Client.objects.exists()


def test_command_acts_as_first_superuser_without_user(tmp_path, narpes):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    path = tmp_path / "register.xlsx"
    path.write_bytes(xlsx_file([["S-1", "Virtanen", "Aino"] + [None] * (len(COLUMNS) - 3)]))
    call_command("import_clients", str(path), "--organisation", narpes.code, stderr=io.StringIO())
    client = Client.objects.get(external_id="S-1")
    assert client.history.get().actor == admin
