"""Reading an action programme from a text file or an .xlsx workbook: the seed file as it is,
the header languages and layouts the municipalities use, and broken or hostile input."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from hemkommun.programme import parsing
from hemkommun.programme.parsing import (
    COLUMNS,
    HEADER_NAMES,
    ParsedRow,
    ProgrammeFileError,
    parse_file,
    parse_text,
    parse_xlsx,
)
from hemkommun.programme.samples import SEED_002

SEED = SEED_002
SV_HEADER = "Mål\tÅtgärd\tAnsvarsinstans\tSamarbetspartner\tUppföljning"
ROW = "Vänpersoner\tRekrytera vänpersoner\tKommunen\tTredje sektorn\tAntal vänpersoner"
VALUES = {
    "goal": "Vänpersoner",
    "action": "Rekrytera vänpersoner",
    "responsible": "Kommunen",
    "partners": "Tredje sektorn",
    "follow_up": "Antal vänpersoner",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def values(row: ParsedRow) -> dict[str, str]:
    return {column: getattr(row, column) for column in COLUMNS}


def errors(content: bytes, filename: str = "") -> list[str]:
    with pytest.raises(ProgrammeFileError) as caught:
        parse_file(content, filename)
    return caught.value.messages


def text_errors(text: str) -> list[str]:
    return errors(text.encode())


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The seed file -------------------------------------------------------------------------------


def test_seed_file_has_its_six_themes_and_24_rows():
    programme = parse_file(SEED.read_bytes(), "seed_002_action_programme.txt")

    assert [(theme.title, len(theme.rows)) for theme in programme.themes] == [
        ("Grunden för inkludering och integration", 9),
        ("Sociala förhållanden och nätverk", 4),
        ("Hälsa och välbefinnande", 3),
        ("Barn och unga", 2),
        ("Sysselsättning och kompetens", 5),
        ("Boende", 1),
    ]
    assert programme.row_count == 24


def test_seed_file_cells_are_kept_exactly():
    rows = parse_file(SEED.read_bytes()).themes[0].rows

    assert rows[0] == ParsedRow(
        line=34,
        goal="Koordinering av integration",
        action="Integrationsarbetet samordnas centralt",
        responsible="Kommunspecifikt",
        partners="Övriga aktörer, ex. välfärdsområdet, tredje sektorn",
        follow_up="Årlig genomgång av samordnandet och resursering i budgeteringskedet",
    )
    assert rows[5].goal == (
        "Inledande kartläggning för en invandrare som får utkomststöd, annat än tillfälligt (kommunen) "
        "och för en invandrare som är arbetslös arbetssökande (AN-byrån) samt för en invandrare som "
        "begär på eget initiativ. Efter den inledande kartläggningen görs integrationsplan vid behov"
    )
    assert rows[5].action == "En tjänsteinnehavare som ansvarar för uppgörande av inledande kartläggning"
    assert rows[8] == ParsedRow(
        line=42,
        goal="Främjande av delaktighet",
        action="Främja medborgaraktivitet och valdeltagande genom att informera på flera språk",
        responsible="Kommunen",
        partners="",
        follow_up="Information och material på för kommunen relevanta språk",
    )


def test_seed_file_reads_the_same_as_text_in_any_line_ending_and_encoding():
    text = SEED.read_text(encoding="utf-8")
    expected = parse_text(text)

    assert parse_file(text.replace("\n", "\r\n").encode()) == expected
    assert parse_file(text.encode("utf-16")) == expected


# Header languages and layouts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        SV_HEADER,
        "Mål\tÅtgärd\tAnsvarsinstans\tSamarbetspartners\tUppföljning",
        "Tavoite\tToimenpide\tVastuutaho\tYhteistyökumppani\tSeuranta",
        "TAVOITE\tToimenpide\tvastuutaho\tYhteistyökumppanit\tSeuranta",
        "Goal\tAction\tResponsible\tPartners\tFollow-up",
        " goal \t ACTION \tResponsible body\tPartner\tFollow up",
    ],
)
def test_header_names_in_swedish_finnish_and_english(header):
    programme = parse_text(f"Boende\n{header}\n{ROW}\n")

    assert programme.themes[0].title == "Boende"
    assert values(programme.themes[0].rows[0]) == VALUES


def test_header_names_cover_three_languages():
    assert HEADER_NAMES["åtgärd"] == HEADER_NAMES["toimenpide"] == HEADER_NAMES["action"] == "action"
    assert set(HEADER_NAMES.values()) == set(COLUMNS)


def test_decomposed_letters_in_a_header_still_match():
    header = SV_HEADER.replace("Å", "A\u030a")

    assert values(parse_text(f"Boende\n{header}\n{ROW}").themes[0].rows[0]) == VALUES


def test_columns_in_another_order_land_in_their_fields():
    text = (
        "Boende\n"
        "Uppföljning\tSamarbetspartner\tÅtgärd\tAnsvarsinstans\tMål\n"
        "Antal vänpersoner\tTredje sektorn\tRekrytera vänpersoner\tKommunen\tVänpersoner\n"
    )

    assert values(parse_text(text).themes[0].rows[0]) == VALUES


def test_missing_optional_columns_are_empty():
    row = parse_text("Boende\nAction\tGoal\nRekrytera\tVänpersoner").themes[0].rows[0]

    assert values(row) == dict.fromkeys(COLUMNS, "") | {"action": "Rekrytera", "goal": "Vänpersoner"}


def test_empty_and_missing_cells_are_empty_strings():
    text = f"Boende\n{SV_HEADER}\n\tRekrytera\t\t  \nVänpersoner\t\tKommunen\n"
    rows = parse_text(text).themes[0].rows

    assert values(rows[0]) == dict.fromkeys(COLUMNS, "") | {"action": "Rekrytera"}
    assert values(rows[1]) == dict.fromkeys(COLUMNS, "") | {"goal": "Vänpersoner", "responsible": "Kommunen"}


def test_a_row_with_only_its_goal_is_data_and_a_heading_under_a_table_starts_the_next():
    text = f"Boende\n{SV_HEADER}\n{ROW}\nTrygghet\nBarn och unga\n{SV_HEADER}\n{ROW}"
    programme = parse_text(text)

    assert [theme.title for theme in programme.themes] == ["Boende", "Barn och unga"]
    assert [row.goal for row in programme.themes[0].rows] == ["Vänpersoner", "Trygghet"]
    assert programme.themes[0].rows[1].action == ""


def test_cells_lose_surrounding_whitespace_only():
    row = parse_text(f"Boende\n{SV_HEADER}\n  Mål  med  mellanrum \t Åtgärd\u00a0\n").themes[0].rows[0]

    assert (row.goal, row.action) == ("Mål  med  mellanrum", "Åtgärd")


def test_introduction_and_prose_after_the_tables_are_ignored():
    text = (
        "Integrationsprogram\n\nEtt långt stycke prosa, med komma.\n\nÅtgärdsprogram 2023 – 2025\n\n"
        f"Boende\n\n{SV_HEADER}\n{ROW}\n\nProgrammet godkändes i fullmäktige.\n"
    )
    programme = parse_text(text)

    assert [theme.title for theme in programme.themes] == ["Boende"]
    assert programme.row_count == 1
    assert programme.themes[0].rows[0].line == 10


@pytest.mark.parametrize(
    ("encode", "newline"),
    [
        (lambda text: text.encode(), "\r\n"),
        (lambda text: text.encode(), "\r"),
        (lambda text: "\ufeff".encode() + text.encode(), "\n"),
        (lambda text: text.encode("utf-16"), "\r\n"),
        (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "\n"),
    ],
    ids=["crlf", "cr", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_encodings_and_line_endings(encode, newline):
    text = newline.join(["Boende", "", SV_HEADER, ROW, ""])
    programme = parse_file(encode(text), "programme.txt")

    assert programme.themes[0].title == "Boende"
    assert values(programme.themes[0].rows[0]) == VALUES
    assert programme.themes[0].rows[0].line == 4


def test_markup_and_formulas_are_returned_unchanged():
    text = f'<b>Boende</b>\n{SV_HEADER}\n<script>alert(1)</script>\t=HYPERLINK("http://x";"y")\t+1\t@a\t-2'
    programme = parse_text(text)

    assert programme.themes[0].title == "<b>Boende</b>"
    assert values(programme.themes[0].rows[0]) == {
        "goal": "<script>alert(1)</script>",
        "action": '=HYPERLINK("http://x";"y")',
        "responsible": "+1",
        "partners": "@a",
        "follow_up": "-2",
    }


# .xlsx ---------------------------------------------------------------------------------------


def test_xlsx_one_sheet_per_theme_takes_the_sheet_titles():
    header = ["Tavoite", "Toimenpide", "Vastuutaho", "Yhteistyökumppani", "Seuranta"]
    content = workbook_bytes(
        {
            "Asuminen": [header, list(VALUES.values()), [None, "Toinen", None, None, "Seuranta 2"]],
            "Lapset ja nuoret": [header, ["Kielitaito", "Kurssit"]],
        }
    )
    programme = parse_file(content, "ohjelma.xlsx")

    assert [(theme.title, len(theme.rows)) for theme in programme.themes] == [
        ("Asuminen", 2),
        ("Lapset ja nuoret", 1),
    ]
    assert values(programme.themes[0].rows[0]) == VALUES
    assert values(programme.themes[0].rows[1]) == dict.fromkeys(COLUMNS, "") | {
        "action": "Toinen",
        "follow_up": "Seuranta 2",
    }
    assert [row.line for row in programme.themes[0].rows] == [2, 3]


def test_xlsx_single_sheet_in_the_text_layout():
    header = SV_HEADER.split("\t")
    content = workbook_bytes(
        {
            "Åtgärdsprogram": [
                ["Åtgärdsprogram 2023 – 2025"],
                [],
                ["Boende"],
                header,
                list(VALUES.values()),
                ["Mål utan åtgärd"],
                [],
                ["Barn och unga"],
                header,
                ["Språk", "Kurser", None, None, 12],
            ]
        }
    )
    programme = parse_xlsx(content)

    assert [theme.title for theme in programme.themes] == ["Boende", "Barn och unga"]
    assert [row.goal for row in programme.themes[0].rows] == ["Vänpersoner", "Mål utan åtgärd"]
    assert programme.themes[1].rows[0].line == 10
    assert programme.themes[1].rows[0].follow_up == "12"


def test_xlsx_numbers_and_dates_become_text():
    content = workbook_bytes(
        {
            "Boende": [
                ["Goal", "Action", "Responsible", "Partners", "Follow-up"],
                [2025, 1.5, 3.0, datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 1, 12, 30)],
            ]
        }
    )
    row = parse_xlsx(content).themes[0].rows[0]

    assert values(row) == {
        "goal": "2025",
        "action": "1.5",
        "responsible": "3",
        "partners": "2025-03-01",
        "follow_up": "2025-03-01T12:30:00",
    }


def test_xlsx_formula_looking_strings_are_returned_unchanged():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Boende"
    sheet.append(["Goal", "Action"])
    sheet.append(["<script>alert(1)</script>", "=HYPERLINK(1)"])
    sheet["B2"].data_type = "s"  # text that looks like a formula, as a user may type it
    buffer = io.BytesIO()
    workbook.save(buffer)

    row = parse_xlsx(buffer.getvalue()).themes[0].rows[0]

    assert (row.goal, row.action) == ("<script>alert(1)</script>", "=HYPERLINK(1)")


def test_xlsx_hidden_sheets_are_ignored():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Boende"
    workbook.active.append(["Goal", "Action"])
    workbook.active.append(["Vänpersoner", "Rekrytera"])
    hidden = workbook.create_sheet("Listor")
    hidden.append(["Kommunen", "Tredje sektorn"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert [theme.title for theme in parse_xlsx(buffer.getvalue()).themes] == ["Boende"]


def test_xlsx_errors_name_the_sheet_and_row():
    content = workbook_bytes({"Boende": [["Goal", "Action"], ["a", "b", "c"]]})

    assert errors(content) == ["Sheet “Boende”, row 2: the row has more cells than the header row has."]


# Broken input --------------------------------------------------------------------------------


def test_misspelt_header_is_an_error_not_an_empty_import():
    messages = text_errors(f"Boende\nMål\tÅtgärdd\n{ROW}\n")

    assert len(messages) == 1
    assert messages[0].startswith("Line 2: a table row before any header row.")
    assert "Goal, Action, Responsible, Partners, Follow-up" in messages[0]
    assert "Mål, Åtgärd, Ansvarsinstans, Samarbetspartner, Uppföljning" in messages[0]


def test_unknown_column_in_a_header_is_named():
    messages = text_errors(
        "Boende\nMål\tÅtgärd\tKostnad\tUppföljning\nVänpersoner\tRekrytera\t100 €\tÅrligen\n"
    )

    assert messages == [
        "Line 2: “Kostnad” is not a column of the action programme. "
        "The columns are Mål, Åtgärd, Ansvarsinstans, Samarbetspartner, Uppföljning."
    ]


def test_header_with_a_misspelt_action_column_says_so():
    messages = text_errors("Boende\nGoal\tActoin\tResponsible\nVänpersoner\tRekrytera\tKommunen\n")

    assert messages == [
        "Line 2: “Actoin” is not a column of the action programme. "
        "The columns are Goal, Action, Responsible, Partners, Follow-up.",
        "Line 2: the header row has no action column (Åtgärd, Toimenpide, Action).",
    ]


def test_duplicate_column_is_an_error():
    messages = text_errors("Boende\nMål\tÅtgärd\tSamarbetspartner\tSamarbetspartners\n")

    assert messages == [
        "Line 2: the header row names the same column twice: “Samarbetspartner” and “Samarbetspartners”."
    ]


def test_row_with_more_cells_than_the_header_is_an_error():
    messages = text_errors(f"Boende\nMål\tÅtgärd\n{ROW}\nA\tB\n")

    assert messages == ["Line 3: the row has more cells than the header row has."]


def test_value_under_an_empty_header_cell_is_an_error():
    messages = text_errors("Boende\nMål\t\tÅtgärd\nA\tB\tC\nD\t\tE\n")

    assert messages == ["Line 3: the row has a value in a column whose header cell is empty."]


def test_rows_after_a_blank_line_inside_a_table_are_an_error():
    messages = text_errors(f"Boende\n{SV_HEADER}\n{ROW}\n\n{ROW}\n{ROW}\n")

    assert len(messages) == 1
    assert messages[0].startswith("Line 5: a table row outside a table.")


def test_table_without_a_theme_above_it_in_text_is_an_error():
    assert text_errors(f"{SV_HEADER}\n{ROW}\n") == [
        "Line 1: the table has no theme above it. Write the theme on its own line above the header row."
    ]


@pytest.mark.parametrize(
    "content", [b"", b"Integrationsprogram\n\nBara prosa, ingen tabell.\n", "\ufeff\r\n".encode()]
)
def test_no_table_at_all_is_an_error_naming_the_expected_headers(content):
    messages = errors(content)

    assert messages == [
        "The file has no action-programme table. A table starts with a header row whose columns are named "
        "in Swedish (Mål, Åtgärd, Ansvarsinstans, Samarbetspartner, Uppföljning), "
        "Finnish (Tavoite, Toimenpide, Vastuutaho, Yhteistyökumppani, Seuranta) "
        "or English (Goal, Action, Responsible, Partners, Follow-up)."
    ]


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"PK\x03\x04garbage", ""),
        (b"PK\x03\x04garbage", "programme.xlsx"),
        (zip_without_workbook(), "programme.docx"),
        (b"Boende\nMal\tAtgard\n", "programme.xlsx"),
    ],
    ids=["corrupt-zip", "corrupt-xlsx", "docx", "text-named-xlsx"],
)
def test_broken_xlsx_is_an_error(content, filename):
    assert errors(content, filename) == ["The file is not an Excel workbook (.xlsx), or it is damaged."]


def test_xlsx_with_a_damaged_sheet_is_an_error():
    content = workbook_bytes({"Boende": [["Goal", "Action"], ["a", "b"]]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)

    assert errors(buffer.getvalue()) == ["The Excel workbook (.xlsx) is damaged and cannot be read."]


@pytest.mark.parametrize(
    "content",
    [
        "Boende\nMål\tÅtgärd\n".encode("latin-1"),
        "Boende\nMål\tÅtgärd\n".encode("utf-16-le"),  # no BOM: NUL bytes everywhere
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",  # an old .xls or .doc
        b"\xff\xfe\x00\xd8",  # a BOM, then a broken surrogate
    ],
)
def test_undecodable_bytes_are_an_error(content):
    assert errors(content, "programme.txt") == [
        "The file is neither UTF-8 text nor an Excel workbook (.xlsx)."
    ]


def test_too_long_a_cell_is_an_error():
    long = "x" * 4001
    messages = text_errors(f"Boende\n{SV_HEADER}\nMål\t{long}\n{ROW}\nMål\t{'y' * 4000}\n")

    assert messages == ["Line 3: a cell is longer than 4000 characters."]


def test_too_long_a_theme_is_an_error_but_long_prose_is_ignored():
    prose = "p" * 5000
    messages = text_errors(f"{prose}\n\n{'t' * 4001}\n{SV_HEADER}\n{ROW}\n")

    assert messages == ["Line 3: a cell is longer than 4000 characters."]


def test_too_large_a_file_is_an_error():
    content = b"x" * (5 * 1024 * 1024 + 1)

    assert errors(content) == ["The file is larger than 5 MB."]
    assert errors(b"PK\x03\x04" + content) == ["The file is larger than 5 MB."]


def test_too_many_rows_is_an_error():
    text = "Boende\n" + SV_HEADER + "\n" + "\n".join(f"Mål {n}\tÅtgärd {n}" for n in range(5001))

    assert (
        errors(text.encode())[-1]
        == "The file has more than 5000 rows of actions. Split it into smaller files."
    )
    assert parse_text(text.rsplit("\n", 1)[0]).row_count == 5000


def test_too_many_lines_is_an_error():
    assert errors(b"\n" * parsing.MAX_LINES) == ["The file has more than 100000 lines or rows."]


def test_errors_are_collected_up_to_twenty():
    text = "Boende\nMål\tÅtgärd\n" + "\n".join(f"A\tB\tC{n}" for n in range(30))

    messages = text_errors(text)

    assert len(messages) == 20
    assert messages[0] == "Line 3: the row has more cells than the header row has."
    assert messages[-1] == "Line 22: the row has more cells than the header row has."


def test_error_carries_all_messages_in_its_text():
    with pytest.raises(ProgrammeFileError) as caught:
        parse_text("Boende\nMål\tÅtgärd\nA\tB\tC\nD\tE\tF\n")

    assert str(caught.value) == "\n".join(caught.value.messages)
    assert len(caught.value.messages) == 2
