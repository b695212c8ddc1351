"""PDF documents: a Django template rendered by WeasyPrint, in the reader's language and direction.

Text is shaped by Debian's Pango with the fonts of fonts-noto-core (Latin, Cyrillic, Arabic script,
Hebrew, Ethiopic for Tigrinya and Amharic); templates extend ``pdf/base.html``, which names them.
Rendering never touches the network: the only resources a document may load are static files,
read from disk.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Languages written right to left, by their ISO 639-1 code or, where none exists, ISO 639-3
# (the codes of hemkommun.clients.codes): Arabic, Farsi, Dari, Pashto, Sorani, Urdu, Hebrew.
_RIGHT_TO_LEFT = frozenset({"ar", "fa", "prs", "ps", "ckb", "ur", "he"})

# Relative URLs in a document resolve against this, so "/static/x.css" becomes a file URL whose
# path the fetcher maps back to a static file; nothing else is ever opened.
_BASE_URL = "file:///"


class PdfResourceError(Exception):
    """A document referred to something other than an existing static file."""


def is_rtl(language: str) -> bool:
    """Whether the language is written right to left; a region or script subtag does not matter."""
    return language.replace("_", "-").split("-")[0].lower() in _RIGHT_TO_LEFT


def render_pdf(*, template_name: str, context: dict, language: str) -> bytes:
    """The template rendered as a PDF in the given language.

    The template sees ``document_language`` and ``document_direction`` ("ltr" or "rtl") for its
    ``<html lang dir>``; values in ``context`` are escaped as in any Django template. Our strings
    that have no catalogue in the language (Arabic, for now) fall back to Finnish, LANGUAGE_CODE:
    ``text_direction`` is the direction of those strings, for lines made of them alone.
    """
    directions = {"document_direction": _direction(language), "text_direction": _strings_direction(language)}
    with translation.override(language):
        html = render_to_string(template_name, {**context, "document_language": language, **directions})
    try:
        document = weasyprint.HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
        return document.write_pdf()
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException, which `except Exception` in callers misses.
        raise PdfResourceError(str(error.__cause__ or error)) from error.__cause__


def _direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"


def _strings_direction(language: str) -> str:
    """The direction of the language our translated strings are really in."""
    try:
        return _direction(translation.get_supported_language_variant(language))
    except LookupError:  # no catalogue: gettext falls back to LANGUAGE_CODE
        return _direction(settings.LANGUAGE_CODE)


class StaticFilesOnlyFetcher(URLFetcher):
    """Gives WeasyPrint static files read from disk and refuses every other URL.

    A refusal stops the rendering (fail_on_errors), so a template that points at the network or
    at a missing file fails in the tests instead of printing a document with a hole in it.
    """

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = _static_file(url)
        # WeasyPrint ignores a stylesheet that does not say it is text/css.
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def _static_file(url: str) -> Path:
    """The file on disk behind a static URL such as file:///static/css/x.css."""
    parts = urlsplit(url)
    path = posixpath.normpath(unquote(parts.path))  # "/static/../x" must not pass as static
    prefix = settings.STATIC_URL  # "/static/"
    if parts.scheme != "file" or parts.netloc or not path.startswith(prefix):
        raise PdfResourceError(f"A PDF may load static files only, not {url}")
    name = path.removeprefix(prefix)
    # The finders read the sources (no collectstatic needed); collected files are the fallback.
    found = finders.find(name) or (staticfiles_storage.exists(name) and staticfiles_storage.path(name))
    if not found or not Path(found).is_file():
        raise PdfResourceError(f"No static file {name}")
    return Path(found)
