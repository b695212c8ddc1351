"""Every upload form checks size and real type in one place (hemkommun.core.uploads): a renamed
binary, an oversize file, an empty file and other hostile files get a translated message in
the form, never a 500 and never a write."""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from hemkommun.clients.models import Client
from hemkommun.core.uploads import Kind, check_upload
from hemkommun.organizations.models import Role
from hemkommun.programme.models import Programme

from ..factories import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
CHECK_CODES = {"empty", "too_big", "file_type"}


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["family_name", "given_names"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_like_bytes() -> bytes:
    """A zip with Office content types but no spreadsheet: a Word document, say."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# The check itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kinds", "expected"),
    [
        (b"a,b\n1,2\n", (Kind.CSV, Kind.XLSX), Kind.CSV),
        ("\ufeffnimi;ikä\nÅsa;3\n".encode(), (Kind.CSV,), Kind.CSV),
        (workbook_bytes(), (Kind.CSV, Kind.XLSX), Kind.XLSX),
        (b'{"client": {}}', (Kind.JSON,), Kind.JSON),
        ("Tema\nMål\tÅtgärd\n".encode("utf-16"), (Kind.TEXT, Kind.XLSX), Kind.TEXT),
    ],
    ids=["csv", "csv-with-bom", "xlsx", "json", "utf16-text"],
)
def test_real_files_pass_as_what_they_are(content, kinds, expected):
    assert check_upload(upload("any.name", content), kinds=kinds) is expected


@pytest.mark.parametrize(
    ("name", "content", "kinds"),
    [
        ("register.csv", PNG, (Kind.CSV, Kind.XLSX)),
        ("register.xlsx", PNG, (Kind.CSV, Kind.XLSX)),
        ("register.xlsx", docx_like_bytes(), (Kind.CSV, Kind.XLSX)),
        ("register.xlsx", b"PK\x03\x04 but no zip at all", (Kind.CSV, Kind.XLSX)),
        ("maksut.csv", workbook_bytes(), (Kind.CSV,)),
        ("register.csv", "nimi\nÅsa\n".encode("utf-16"), (Kind.CSV,)),
        ("record.json", b'{"a": "x\x00y"}', (Kind.JSON,)),
        ("record.json", "{}".encode("cp1252") + b"\xe5\xe4", (Kind.JSON,)),
    ],
    ids=[
        "png-as-csv",
        "png-as-xlsx",
        "docx-as-xlsx",
        "broken-zip",
        "xlsx-as-csv",
        "utf16-csv",
        "nul",
        "cp1252",
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content, kinds):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content), kinds=kinds)
    assert error.value.code == "file_type"


@pytest.mark.parametrize("content", [b"", b"  \r\n\t", b"\xef\xbb\xbf\n"], ids=["empty", "blank", "bom"])
def test_an_empty_file_is_refused(content):
    with pytest.raises(ValidationError) as error:
        check_upload(upload("register.csv", content), kinds=(Kind.CSV,))
    assert error.value.code == "empty"


@override_settings(IMPORT_MAX_BYTES=1000)
def test_the_limit_is_the_smaller_of_the_setting_and_the_forms_own():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("a.csv", b"a" * 1001), kinds=(Kind.CSV,), max_bytes=10_000)
    assert error.value.code == "too_big"
    with pytest.raises(ValidationError):
        check_upload(upload("a.csv", b"a" * 101), kinds=(Kind.CSV,), max_bytes=100)
    assert check_upload(upload("a.csv", b"a" * 1000), kinds=(Kind.CSV,)) is Kind.CSV


def test_the_message_is_translated_and_names_the_accepted_types():
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        check_upload(upload("register.csv", PNG), kinds=(Kind.XLSX, Kind.CSV))
    with translation.override("fi"):
        expected = translation.gettext("This file is not of a type accepted here. Choose: %(kinds)s.") % {
            "kinds": f"{Kind.CSV.label}, {Kind.XLSX.label}"
        }
        assert error.value.messages == [expected]


def test_the_view_still_reads_the_whole_file_after_the_check():
    file = upload("a.csv", b"a,b\n1,2\n")
    check_upload(file, kinds=(Kind.CSV,))
    assert file.read() == b"a,b\n1,2\n"


# Each upload form -----------------------------------------------------------------------------


@dataclass
class UploadForm:
    url: str
    role: str
    field: str
    good_name: str

    def data(self, organisation) -> dict:
        common = {"organisation": organisation.pk, "payee": organisation.pk}
        programme = {"title": "P", "period": "2023-2025", "language": "sv", "owners": [organisation.pk]}
        return {**common, **programme, "dry_run": "on"}


FORMS = {
    "clients": UploadForm("clients:import", Role.COORDINATOR, "file", "register.csv"),
    "compensation": UploadForm(
        "compensation:reconciliation", Role.COORDINATOR, "specification", "maksut.csv"
    ),
    "exchange": UploadForm("exchange:import", Role.CASE_WORKER, "file", "record.json"),
    "programme": UploadForm("programme:import", Role.COORDINATOR, "file", "program.txt"),
}
HOSTILE = {
    "renamed-binary": (PNG, "file_type"),
    "empty": (b"", "empty"),
    "blank": (b"\n\n  \n", "empty"),
    "oversize": (b"x" * 2049, "too_big"),
    "docx-renamed": (docx_like_bytes(), "file_type"),
}


def post_upload(client, narpes, form: UploadForm, name: str, content: bytes):
    client.force_login(UserFactory.with_role(form.role, narpes))
    data = {**form.data(narpes), form.field: upload(name, content)}
    return client.post(reverse(form.url), data)


@override_settings(IMPORT_MAX_BYTES=2048)
@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("form_name", FORMS)
def test_each_upload_form_refuses_hostile_files_with_a_message(client, narpes, form_name, case):
    form, (content, code) = FORMS[form_name], HOSTILE[case]
    response = post_upload(client, narpes, form, form.good_name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()[form.field]
    assert code in {error.code for error in errors}, errors
    assert not Client.objects.exists() and not Programme.objects.exists()


@pytest.mark.parametrize("form_name", FORMS)
def test_each_upload_form_lets_a_real_file_past_the_check(client, narpes, form_name):
    form = FORMS[form_name]
    good = {
        "clients": b"family_name,given_names\nJ\xc3\xa4rvinen,Oleksandr\n",
        "compensation": b"identity_code,month,amount_eur\n",
        "exchange": b'{"format": "hemkommun-integration-record"}',
        "programme": "Boende\nMål\tÅtgärd\nA\tB\n".encode(),
    }[form_name]
    response = post_upload(client, narpes, form, form.good_name, good)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data().get(form.field, [])
    assert not CHECK_CODES & {error.code for error in errors}, errors
