"""PDF documents: the real PDF is opened, its text read with pypdf and its first page drawn with pypdfium2."""

import copy
import logging
import socket
import subprocess
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO

import pypdfium2
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from hemkommun.core.pdf import PdfResourceError, is_rtl, render_pdf

ARABIC_NAME = "العلي فاطمة"  # al-Ali Fatima
CYRILLIC_NAME = "Олександр"
TIGRINYA_NAME = "ሰላም"
MARKUP_NAME = "<script>alert(1)</script>"
# Letters that only Sorani (ڕ ێ), Urdu (ہ) or Hebrew use, for the check that no glyph is missing.
OTHER_NAMES = ["ڕێبین", "عائشہ", "שרה"]
NAMES = [ARABIC_NAME, CYRILLIC_NAME, TIGRINYA_NAME, MARKUP_NAME, *OTHER_NAMES]

# The fixed texts are msgids that the fi and sv catalogues already translate.
PERSON_TEMPLATE = """{% extends "pdf/base.html" %}{% load i18n %}
{% block title %}{% translate "Temporary protection" %}{% endblock %}
{% block content %}
<h1>{% translate "Temporary protection" %}</h1>
<table>
  <thead><tr><th>{% translate "Name" %}</th></tr></thead>
  {% for name in names %}<tr><td>{{ name }}</td></tr>{% endfor %}
</table>
<h2 style="break-before: page">{% translate "Date of birth" %}</h2>
{% endblock %}
"""
# A stylesheet from the context, to try what the fetcher lets through.
RESOURCE_TEMPLATE = """{% extends "pdf/base.html" %}
{% block style %}<link rel="stylesheet" href="{{ href }}">{% endblock %}
{% block content %}<p>resource</p>{% endblock %}
"""
STATIC_CSS = 'p::after { content: " loaded from static"; }'

FONTS = ["Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Ethiopic"]
MISSING_GLYPH = ".notdef glyph"  # WeasyPrint's warning when no font has a character
A4_RATIO = 297 / 210
SCALE = 1  # 72 dpi: enough to see where the ink is
LANGUAGES = ("fi", "sv", "ar")
BOTTOM_MARGIN = 22 / 25.4 * 72  # pdf/base.html's 22 mm in points


@dataclass
class Rendered:
    pdf: bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def reader(self) -> PdfReader:
        return PdfReader(BytesIO(self.pdf))

    def text(self) -> str:
        return "\n".join(page.extract_text() for page in self.reader.pages)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(template: str, language: str, **context) -> Rendered:
    """The PDF with what WeasyPrint warned about, whatever LOG_LEVEL says."""
    logger, handler = logging.getLogger("weasyprint"), _Warnings()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        pdf = render_pdf(template_name=template, context=context, language=language)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Rendered(pdf, handler.messages)


@pytest.fixture(scope="module", autouse=True)
def noto_fonts():
    """Without the fonts Pango draws empty boxes; say how to get them instead of failing obscurely."""
    try:
        output = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.fail("fc-list is missing: apt-get install fontconfig fonts-noto-core")
    installed = {family.strip() for line in output.splitlines() for family in line.split(",")}
    missing = [font for font in FONTS if font not in installed]
    if missing:
        pytest.fail(f"Fonts missing ({', '.join(missing)}): apt-get install fonts-noto-core")


@pytest.fixture(scope="module")
def pdf_files(tmp_path_factory):
    """The test templates and a static stylesheet, in folders of their own."""
    templates = tmp_path_factory.mktemp("templates")
    (templates / "test_pdf").mkdir()
    (templates / "test_pdf" / "person.html").write_text(PERSON_TEMPLATE)
    (templates / "test_pdf" / "resource.html").write_text(RESOURCE_TEMPLATE)
    static = tmp_path_factory.mktemp("static")
    (static / "test-pdf.css").write_text(STATIC_CSS)
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [*engines[0]["DIRS"], templates]
    with override_settings(TEMPLATES=engines, STATICFILES_DIRS=[*settings.STATICFILES_DIRS, static]):
        yield


@pytest.fixture(scope="module")
def documents(pdf_files) -> dict[str, Rendered]:
    """The same person list in Finnish, Swedish and Arabic, rendered once for the module."""
    return {language: _render("test_pdf/person.html", language, names=NAMES) for language in LANGUAGES}


def _first_page_image(pdf: bytes) -> Image.Image:
    page = pypdfium2.PdfDocument(pdf)[0]
    return page.render(scale=SCALE).to_pil().convert("L")


def _dark_pixels(image: Image.Image) -> int:
    return sum(image.histogram()[:128])


def _boxes_of(pdf: bytes, text: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in points of each character of each occurrence of text on page 1."""
    text_page = pypdfium2.PdfDocument(pdf)[0].get_textpage()
    searcher, boxes = text_page.search(text, match_case=True), []
    while found := searcher.get_next():
        index, count = found
        boxes += [text_page.get_charbox(i) for i in range(index, index + count)]
    assert boxes, f"{text!r} is not on page 1"
    return boxes


def _footer_left_to_right(page: pypdfium2.PdfPage) -> str:
    """The characters in the bottom margin from left to right as they stand on the page, no spaces."""
    text_page = page.get_textpage()
    chars = [
        (text_page.get_charbox(i), text_page.get_text_range(i, 1)) for i in range(text_page.count_chars())
    ]
    in_margin = [(box[0], char) for box, char in chars if box[3] < BOTTOM_MARGIN and not char.isspace()]
    return "".join(char for _left, char in sorted(in_margin))


def _ink_under(pdf: bytes, boxes) -> bool:
    """Whether the page image has dark pixels inside the boxes: the letters were drawn, not only placed."""
    image = _first_page_image(pdf)
    left, bottom = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, top = max(box[2] for box in boxes), max(box[3] for box in boxes)
    # PDF coordinates grow upwards from the bottom of the page, image rows downwards from the top.
    crop = image.crop(
        (left * SCALE, image.height - top * SCALE, right * SCALE, image.height - bottom * SCALE)
    )
    return _dark_pixels(crop) > 0


# Direction


@pytest.mark.parametrize("language", ["ar", "fa", "prs", "ps", "ckb", "ur", "he", "ar-EG", "fa_IR", "AR"])
def test_right_to_left_languages(language):
    assert is_rtl(language)


@pytest.mark.parametrize("language", ["fi", "sv", "en", "ru", "uk", "ti", "am", "so", "kmr", "tr"])
def test_left_to_right_languages(language):
    assert not is_rtl(language)


# Text


@pytest.mark.parametrize(
    ("language", "fixed_texts"),
    [
        ("fi", ["Tilapäinen suojelu", "Nimi", "Syntymäaika"]),
        ("sv", ["Tillfälligt skydd", "Namn", "Födelsedatum"]),
    ],
)
def test_fixed_texts_are_in_the_document_language(documents, language, fixed_texts):
    text = documents[language].text()
    for fixed_text in fixed_texts:
        assert fixed_text in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_in_every_script_come_back_as_written(documents, language):
    """Compared code point for code point, without normalising.

    WeasyPrint maps each shaped Arabic glyph back to its source letters (ToUnicode), and pypdf puts
    right-to-left runs back in logical order, so the extracted text is the logical string: a
    visual-order result would read "ةمطاف يلعلا" and fail. No presentation form (U+FB50..U+FEFF)
    may stand in for a letter either, so NFKC, which would fold those, changes nothing.
    """
    text = documents[language].text()
    for name in (ARABIC_NAME, CYRILLIC_NAME, TIGRINYA_NAME):
        assert name in text
    assert not [char for char in text if "\ufb50" <= char <= "\ufeff"]
    assert unicodedata.normalize("NFKC", text) == unicodedata.normalize("NFC", text)


def test_markup_in_a_value_is_printed_as_text(documents):
    # Unescaped, the value would be a <script> element, which prints nothing. The LTR document is
    # read: in the RTL one the brackets at either end are mirrored, so pypdf reads ">script>...".
    assert MARKUP_NAME in documents["fi"].text()


@pytest.mark.parametrize(
    ("language", "footer"),
    [("fi", "Sivu {}/2"), ("sv", "Sida {} av 2"), ("ar", "Sivu {}/2")],  # Arabic falls back to Finnish
)
def test_every_page_is_numbered_page_x_of_y(documents, language, footer):
    """Read as the letters stand on the page: pypdf's text order read "Sivu1/2" in an RTL document
    whose footer showed "2/1 Sivu"."""
    pages = pypdfium2.PdfDocument(documents[language].pdf)
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert _footer_left_to_right(page) == footer.format(number).replace(" ", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_declares_its_language(documents, language):
    assert documents[language].reader.trailer["/Root"]["/Lang"] == language


def test_rendering_leaves_the_active_language_alone(pdf_files):
    with translation.override("sv"):
        render_pdf(template_name="test_pdf/person.html", context={"names": NAMES}, language="ar")
        assert translation.get_language() == "sv"


# Fonts


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_glyph_is_missing(documents, language):
    assert documents[language].warnings == []


def test_each_script_is_set_in_its_noto_font(documents):
    fonts = documents["fi"].reader.pages[0]["/Resources"]["/Font"].values()
    # Subset fonts are named "ABCDEF+Noto-Sans-Arabic".
    names = {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts}
    assert {"Noto-Sans", "Noto-Sans-Arabic", "Noto-Sans-Ethiopic"} <= names
    assert all(name.startswith("Noto-") for name in names), names


def test_a_character_no_font_has_is_noticed(pdf_files):
    """The check above has teeth: a private-use character has no glyph in any installed font."""
    rendered = _render("test_pdf/person.html", "fi", names=["\ue000"])
    assert any(MISSING_GLYPH in warning for warning in rendered.warnings)


# The printed page


def test_the_first_page_is_a_printed_a4_page(documents):
    page = pypdfium2.PdfDocument(documents["fi"].pdf)[0]
    assert page.get_size() == pytest.approx((595.28, 841.89), abs=0.5)  # 210 x 297 mm in points
    image = _first_page_image(documents["fi"].pdf)
    width, height = image.size
    assert height / width == pytest.approx(A4_RATIO, rel=0.01)
    assert _dark_pixels(image) > 0.001 * width * height, "the page is blank"


@pytest.mark.parametrize(("language", "side"), [("fi", "left"), ("ar", "right")])
def test_text_starts_on_the_side_the_document_language_reads_from(documents, language, side):
    """The side follows the document's language, not the script: the Arabic name as well as the
    Latin title (Finnish, which our strings fall back to) stand on the left in the Finnish
    document and on the right in the Arabic one."""
    pdf = documents[language].pdf
    middle = pypdfium2.PdfDocument(pdf)[0].get_width() / 2
    for text in ("Tilapäinen suojelu", ARABIC_NAME):
        boxes = _boxes_of(pdf, text)
        if side == "left":
            assert max(right for _left, _bottom, right, _top in boxes) < middle, text
        else:
            assert min(left for left, _bottom, _right, _top in boxes) > middle, text
        assert _ink_under(pdf, boxes), f"{text!r} left no ink on the page"


# Resources: static files from disk, nothing else


def test_a_static_file_is_read_from_disk(pdf_files):
    rendered = _render("test_pdf/resource.html", "fi", href="/static/test-pdf.css")
    assert "resource loaded from static" in rendered.text()


@pytest.mark.parametrize(
    "href",
    [
        "http://127.0.0.1:9/style.css",
        "https://example.org/style.css",
        "//example.org/static/test-pdf.css",
        "file:///etc/passwd",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/missing.css",
        "/static/",
        "data:text/css,p{color:red}",
    ],
)
def test_anything_but_a_static_file_is_refused_without_touching_the_network(pdf_files, monkeypatch, href):
    connections = []

    def record(*args, **kwargs):
        connections.append(args[-1])
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", record)  # a name lookup is already a network use
    monkeypatch.setattr(socket.socket, "connect", record)
    with pytest.raises(PdfResourceError):
        render_pdf(template_name="test_pdf/resource.html", context={"href": href}, language="fi")
    # Recorded, not raised: WeasyPrint would turn an error in the fetcher into a refusal too.
    assert connections == []
