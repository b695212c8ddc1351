"""The interface exists in Finnish, Swedish and English: no string may lack its translation."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.LOCALE_PATHS[0])


def _entries(po: Path, *flags: str) -> int:
    output = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    # msgattrib repeats the header entry (msgid "") whenever it prints anything.
    return max(output.count('\nmsgid "') + output.startswith('msgid "') - 1, 0)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_is_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run make lint"
    assert _entries(po, "--untranslated") == 0
    assert _entries(po, "--only-fuzzy") == 0


@pytest.mark.parametrize(
    ("language", "sign_in"), [("fi", "Kirjaudu sisään"), ("sv", "Logga in"), ("en", "Sign in")]
)
def test_sign_in_page_speaks_the_chosen_language(client, db, language, sign_in):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert f'<html lang="{language}"' in content
    assert sign_in in content


def test_default_language_is_finnish(client, db):
    response = client.get(reverse("login"))
    assert '<html lang="fi"' in response.content.decode()
