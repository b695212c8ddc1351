"""Which addresses a webhook may be sent to.

Hemkommun runs inside a municipality's or region's network. A webhook address that pointed into
that network (a loopback, private, link-local or otherwise non-public address, the cloud metadata
address among them) would let whoever sets up a subscription make the server send requests to
internal systems (server-side request forgery). So only https to public addresses is allowed; the
address is checked when the subscription is saved and again, after resolving the name afresh,
before every attempt. ``WEBHOOKS_ALLOW_HTTP`` (or DEBUG) allows plain http and
``WEBHOOKS_ALLOW_PRIVATE`` non-public addresses, for development and tests only.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def allow_http() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_HTTP", False))


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False))


def check_url(url: str, *, field: str | None = None, resolve: bool = True) -> None:
    """Raise ValidationError (code ``webhook_url``) where the address may not be used."""
    try:
        check_url_strict(url, resolve=resolve)
    except _Refused as refused:
        error = ValidationError(str(refused), code="webhook_url")
        raise ValidationError({field: error}) if field else error from None


class _Refused(Exception):
    pass


def check_url_strict(url: str, *, resolve: bool = True) -> None:
    parts = urlsplit(url)
    schemes = {"https", "http"} if allow_http() else {"https"}
    if parts.scheme not in schemes:
        raise _Refused(_("The address must begin with https://."))
    if parts.username or parts.password:
        raise _Refused(_("The address may not contain a user name or password."))
    host = parts.hostname
    if not host:
        raise _Refused(_("The address has no host."))
    if allow_private():
        return
    if host.rstrip(".").lower() == "localhost" or host.lower().endswith(".localhost"):
        raise _Refused(_("The address may not point to this server or an internal network."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    elif resolve:
        addresses = _resolve(host, parts.port)
        if addresses is None:
            return  # not known (yet): checked again before each attempt, where it must resolve
    else:
        return
    if not all(address.is_global for address in addresses):
        raise _Refused(_("The address may not point to this server or an internal network."))


def check_before_sending(url: str) -> str | None:
    """Why the address may not be posted to now, or None. The name must resolve, to public
    addresses only (names may change after the subscription was saved)."""
    try:
        check_url_strict(url, resolve=False)
    except (_Refused, ValueError) as refused:
        return str(refused)
    if allow_private():
        return None
    parts = urlsplit(url)
    try:
        addresses = [ipaddress.ip_address(parts.hostname)]
    except ValueError:
        addresses = _resolve(parts.hostname, parts.port)
    if addresses is None:
        return _("The host name does not resolve.")
    if not all(address.is_global for address in addresses):
        return _("The address may not point to this server or an internal network.")
    return None


def _resolve(host: str, port: int | None):
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return None
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
