"""Normalising names so that search finds them across scripts and spellings."""

import re

from anyascii import anyascii

_WORD = re.compile(r"[a-z0-9]+")


def search_words(text: str) -> list[str]:
    """Lower-case ASCII words of a text: 'Järvinen' -> ['jarvinen'], 'Олександр' -> ['oleksandr'].

    anyascii transliterates every script to Latin letters, which also removes diacritics.
    """
    return _WORD.findall(anyascii(text or "").lower())
