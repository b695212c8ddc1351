"""Every error of the API in one documented shape:

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": {"name": ["..."]}}}

``fields`` appears for invalid input only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    # Django's own 404 and 403 as DRF's, so that they carry a code too.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", None)
    body = {"status": response.status_code, "code": _code(exc, detail), "message": _message(detail)}
    if isinstance(detail, dict):
        body["fields"] = {
            field: [str(message) for message in _as_list(messages)] for field, messages in detail.items()
        }
        body["message"] = str(_("The input is invalid."))
    response.data = {"error": body}
    return response


def _code(exc, detail) -> str:
    codes = getattr(exc, "get_codes", lambda: "error")()
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "invalid")


def _message(detail) -> str:
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    return str(detail) if detail is not None else ""


def _as_list(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def not_found(request, exception=None):
    """Django's 404 for an address no view answers: in the API's shape under /api/, else the page."""
    if request.path.startswith("/api/"):
        body = {"status": 404, "code": "not_found", "message": str(exceptions.NotFound.default_detail)}
        return JsonResponse({"error": body}, status=404)
    return page_not_found(request, exception)
