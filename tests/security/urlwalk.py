"""Walking every address of the project: the URL patterns as fill-in templates, with candidate
values for their parameters. Shared by the CSRF walk and the attack suite."""

import itertools
import re
import uuid

from django.apps import apps
from django.urls import Resolver404, URLPattern, URLResolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

SAMPLE_UUID = str(uuid.UUID(int=1))
# Values tried for each parameter of an address until the address resolves to its own view (the
# admin's app_label must be an installed app's, or the admin's catch-all would answer instead).
CANDIDATES = [
    "1",
    "x",
    SAMPLE_UUID,
    "csv",
    "open",
    *sorted({config.label for config in apps.get_app_configs()}),
]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def address_templates(patterns, prefix: str = "/"):
    """(address template, parameter names, view) of every URL pattern, includes followed; the
    template has a ``%(name)s`` for each parameter."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            # An include's own prefix has no parameters in this project.
            yield from address_templates(pattern.url_patterns, prefix + pattern_template(pattern.pattern)[0])
        elif isinstance(pattern, URLPattern):
            template, names = pattern_template(pattern.pattern)
            yield prefix + template, names, pattern.callback


def pattern_template(pattern) -> tuple[str, list[str]]:
    if isinstance(pattern, RoutePattern):
        return PARAMETER.sub(r"%(\1)s", str(pattern)), PARAMETER.findall(str(pattern))
    template, names = normalize(pattern.regex.pattern)[0]
    return template, list(names)


def candidate_fillings(template: str, names: list[str]):
    """The template filled with the candidates, one combination at a time (lazily: most
    addresses resolve with the first)."""
    for values in itertools.product(CANDIDATES, repeat=len(names)):
        yield dict(zip(names, values, strict=True)), template % dict(zip(names, values, strict=True))


def resolves_to(address: str, view) -> bool:
    try:
        return resolve(address).func is view
    except Resolver404:  # a candidate that does not fit the pattern's regex
        return False
