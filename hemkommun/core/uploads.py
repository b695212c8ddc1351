"""The one check of every uploaded file: not empty, not over the size limit, and really of a
type the form accepts, judged by its content rather than its name (docs/security.md).

A form calls ``check_upload`` in its clean method; the parsers behind the forms still check what
they read (the management commands reach them without a form), so this is the gate, not the
only wall. The limit is settings.IMPORT_MAX_BYTES, or a smaller one a form asks for.
"""

import enum
import io
import zipfile
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Whitespace and a UTF-8 byte-order mark: a file of only these is empty to its reader.
_BLANK = b" \t\r\n\xef\xbb\xbf"


class Kind(enum.StrEnum):
    """What a file may be. TEXT also admits UTF-16 with a byte-order mark (Word's "Unicode text")."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    TEXT = "text"

    @property
    def label(self) -> str:
        return str(
            {
                Kind.CSV: _("CSV (UTF-8 text)"),
                Kind.XLSX: _("Excel workbook (.xlsx)"),
                Kind.JSON: _("JSON (UTF-8 text)"),
                Kind.TEXT: _("text (UTF-8 or UTF-16)"),
            }[self]
        )


def check_upload(upload: UploadedFile, *, kinds: Collection[Kind], max_bytes: int | None = None) -> Kind:
    """The kind of the file among ``kinds``, or a ValidationError that says what is wrong."""
    limit = min(max_bytes or settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_BYTES)
    # The size Django counted while receiving: nothing is read before it is known to fit.
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s. Split it into smaller files."),
            code="too_big",
            params={"size": filesizeformat(limit)},
        )
    content = _content(upload)
    if not content.strip(_BLANK):
        raise ValidationError(_("The file is empty."), code="empty")
    kind = kind_of(content, kinds)
    if kind is None:
        raise ValidationError(
            _("This file is not of a type accepted here. Choose: %(kinds)s."),
            code="file_type",
            params={"kinds": ", ".join(kind.label for kind in Kind if kind in kinds)},
        )
    return kind


def kind_of(content: bytes, kinds: Collection[Kind]) -> Kind | None:
    """Which of ``kinds`` the content is, by the content alone, or None."""
    if content.startswith(_ZIP_MAGIC):
        return Kind.XLSX if Kind.XLSX in kinds and _is_workbook(content) else None
    if _is_text(content, "utf-8-sig"):
        return next((kind for kind in (Kind.CSV, Kind.JSON, Kind.TEXT) if kind in kinds), None)
    # CSV and JSON are UTF-8 by their definitions here; only free text may be UTF-16.
    if Kind.TEXT in kinds and content.startswith(_UTF16_BOMS) and _is_text(content, "utf-16"):
        return Kind.TEXT
    return None


def _content(upload: UploadedFile) -> bytes:
    """All of the file (it fits the limit), leaving it at the start for the view to read."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _is_workbook(content: bytes) -> bool:
    """A .docx or any other zip is no workbook: the package must hold a spreadsheet part."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def _is_text(content: bytes, encoding: str) -> bool:
    """Decodes, and holds no NUL character, which no text has (a binary that happened to decode)."""
    try:
        return "\x00" not in content.decode(encoding)
    except UnicodeDecodeError:
        return False
