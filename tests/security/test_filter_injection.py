"""Injection strings in every filter (issue 8): every search and filter form (a form sent by GET)
on every page without a record number, as each role that sees it, is sent with hostile values in
all its fields. Expected: never a 500, and the markup shown as text, never as markup."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver

from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client
from .test_attack_suite import API, SKIPPED_PREFIXES
from .urlwalk import address_templates

# Every filter as five roles: run once, on PostgreSQL (the production database) when there is one.
pytestmark = [pytest.mark.django_db, pytest.mark.one_pass]

PAYLOADS = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE clients_client; --',
    "%' UNION SELECT password FROM organizations_user --",
    "99999999999999999999999",
    "-1",
    "2026-02-30",
    '=HYPERLINK("http://x")',
    "\x00",
    "ä" * 5000,
]
ROLES = [Role.COORDINATOR, Role.COUNSELLOR, Role.DATA_PROTECTION_OFFICER, Role.REPORTING, Role.SOCIAL_WORKER]


class _GetForms(HTMLParser):
    """The field names of each form sent by GET on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = (attrs.get("method") or "get").lower() == "get"
            if self._open:
                self.forms.append((attrs.get("action") or "", []))
        elif self._open and tag in ("input", "select", "textarea") and self._is_value(attrs):
            self.forms[-1][1].append(attrs["name"])

    @staticmethod
    def _is_value(attrs) -> bool:
        return bool(attrs.get("name")) and attrs.get("type") not in ("submit", "button", "hidden")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


def plain_pages() -> list[str]:
    """Every page address without parameters (lists, searches, reports)."""
    return [
        template
        for template, names, _view in address_templates(get_resolver().url_patterns)
        if not names and not template.startswith((API, *SKIPPED_PREFIXES)) and "logout" not in template
    ]


def get_forms(content: str) -> list[tuple[str, list[str]]]:
    parser = _GetForms()
    parser.feed(content)
    return [(action, fields) for action, fields in parser.forms if fields]


@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_in_every_filter(narpes, role):
    make_client(narpes, family_name="Filterable")
    OrganisationFactory.welfare_area()
    http = Client(raise_request_exception=False)
    http.force_login(UserFactory.with_role(role, narpes, username=f"filter.{role}"))
    tried, bad = 0, []
    for page in plain_pages():
        response = http.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action, fields in get_forms(response.content.decode()):
            for payload in PAYLOADS:
                answer = http.get(action or page, dict.fromkeys(fields, payload))
                tried += 1
                body = answer.content.decode(errors="replace")
                if answer.status_code >= 500 or "<script>alert(1)</script>" in body:
                    bad.append((action or page, payload[:30], answer.status_code))
    assert tried >= len(PAYLOADS)  # the walk found a filter form: a broken one must not pass
    assert bad == []
