"""Encryption at rest of identity codes and health data, and the blind index (docs/encryption.md).

A value is stored as ``v1$<key id>$<base64 of nonce + AES-256-GCM ciphertext and tag>``. The key
id (8 hex digits of a hash of the key) says which of FIELD_ENCRYPTION_KEYS decrypts it, so keys
can be rotated: the first key encrypts, every listed key decrypts. The associated data names the
model field, so a ciphertext copied into another column does not decrypt there.

The blind index is an HMAC-SHA256 of the normalised value under BLIND_INDEX_KEY, prefixed with
that key's id: equal values have equal indexes (exact look-ups, uniqueness) and the index reveals
nothing else without the key.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT = "v1"
_NONCE_BYTES = 12
_KEY_BYTES = 32


class DecryptionError(Exception):
    """A stored value cannot be decrypted: a missing key, or a damaged or foreign value.

    Raised rather than returning anything, so that garbage never reaches a page or a file."""


@dataclass(frozen=True)
class Key:
    id: str
    aead: AESGCM


def generate_key() -> str:
    """A new random key in the form FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY take."""
    return base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode()


def key_id(raw: bytes) -> str:
    # A hash of the key, not its position in the list: removing an old key changes no id.
    return hashlib.sha256(b"hemkommun key id\0" + raw).hexdigest()[:8]


def _decode_key(text: str, setting: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != _KEY_BYTES:
        raise ImproperlyConfigured(
            f"{setting}: each key must be {_KEY_BYTES} random bytes in URL-safe base64 "
            "(manage.py rotate_field_keys --generate-key prints one)."
        )
    return raw


@lru_cache(maxsize=4)
def _keys(configured: tuple[str, ...]) -> tuple[Key, ...]:
    if not configured:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: give at least one key.")
    keys = []
    for text in configured:
        raw = _decode_key(text, "FIELD_ENCRYPTION_KEYS")
        keys.append(Key(key_id(raw), AESGCM(raw)))
    if len({key.id for key in keys}) != len(keys):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists the same key twice.")
    return tuple(keys)


def encryption_keys() -> tuple[Key, ...]:
    """The configured keys, the encrypting one first."""
    return _keys(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_key_id() -> str:
    return encryption_keys()[0].id


def encrypt(clear: str, *, context: str) -> str:
    """Encrypt ``clear`` with the first key; ``context`` (the model field) is authenticated too."""
    key = encryption_keys()[0]
    nonce = os.urandom(_NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, clear.encode(), context.encode())
    return f"{FORMAT}${key.id}${base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(f"{FORMAT}$")


def stored_key_id(stored: str) -> str:
    """The id of the key a stored value was encrypted with ("" when it is not encrypted)."""
    parts = stored.split("$", 2)
    return parts[1] if len(parts) == 3 and parts[0] == FORMAT else ""


def decrypt(stored: str, *, context: str) -> str:
    parts = stored.split("$", 2)
    if len(parts) != 3 or parts[0] != FORMAT:
        raise DecryptionError(f"{context}: the stored value is not encrypted in the format {FORMAT}.")
    _format, wanted, payload = parts
    key = next((k for k in encryption_keys() if k.id == wanted), None)
    if key is None:
        raise DecryptionError(
            f"{context}: the value was encrypted with key {wanted}, which FIELD_ENCRYPTION_KEYS "
            "does not list. Add that key back (after the current one) and run rotate_field_keys."
        )
    try:
        blob = base64.b64decode(payload.encode(), validate=True)
        clear = key.aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context.encode())
    except (binascii.Error, ValueError, InvalidTag) as error:
        raise DecryptionError(f"{context}: the stored value is damaged or belongs elsewhere.") from error
    return clear.decode()


@lru_cache(maxsize=4)
def _index_key(configured: str) -> tuple[str, bytes]:
    raw = _decode_key(configured, "BLIND_INDEX_KEY")
    return key_id(raw), raw


def blind_index_key_id() -> str:
    return _index_key(settings.BLIND_INDEX_KEY)[0]


def blind_index(normalised: str) -> str:
    """``<key id>:<HMAC-SHA256 hex>`` of a value already normalised by its caller; "" for ""."""
    if not normalised:
        return ""
    kid, raw = _index_key(settings.BLIND_INDEX_KEY)
    return f"{kid}:{hmac.new(raw, normalised.encode(), hashlib.sha256).hexdigest()}"


def check_keys(app_configs=None, **kwargs) -> list:
    """System check: both encryption settings hold usable keys."""
    from django.core.checks import Error

    errors = []
    for setting, load in (
        ("FIELD_ENCRYPTION_KEYS", encryption_keys),
        ("BLIND_INDEX_KEY", blind_index_key_id),
    ):
        try:
            load()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id=f"hemkommun.E_{setting}"))
    return errors
