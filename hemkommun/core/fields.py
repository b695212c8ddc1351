"""Model fields encrypted at rest (hemkommun.core.crypto, docs/encryption.md).

The model attribute is always the clear value: forms, services, templates, exports and the API
see no difference. The column holds the ciphertext, so the database can neither filter nor sort
by the value: an encrypted field refuses every look-up but ``isnull`` and an exact empty value
(an identity code is found through its blind index instead: BlindIndexField). An empty value is
stored empty: it says only that nothing was recorded.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EncryptedExact(Exact):
    def get_prep_lookup(self):
        # A non-empty value would be encrypted with a fresh nonce and silently match nothing.
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: it can be compared with an empty value only."
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """Encrypts in get_prep_value, decrypts in from_db_value; the column type is text."""

    def get_internal_type(self) -> str:
        # The ciphertext is longer than the clear value: the column is text whatever max_length says.
        return "TextField"

    @property
    def encryption_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.encryption_context)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Free text (health notes) encrypted at rest."""


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A short value (an identity code) encrypted at rest; max_length limits the clear value."""


class BlindIndexField(models.CharField):
    """The keyed blind index of another field (crypto.blind_index over its normalised value).

    Kept in step here, the one place every save passes (bulk_create included): callers never
    set it. ``normalise`` must be the same function look-ups use.
    """

    def __init__(self, *args, source: str = "", normalise=None, **kwargs):
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        self.source = source
        self.normalise = normalise or (lambda value: value)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str:
        return crypto.blind_index(self.normalise(value or ""))

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
