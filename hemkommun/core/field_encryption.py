"""Bulk work on encrypted columns: the data migrations that encrypt existing rows, and key
rotation (manage.py rotate_field_keys). Rows are read and written in primary-key batches, each
batch in its own transaction, so a long run can be stopped and started again: a run skips the
rows already under the current key.

Writes use bulk_update, not save(): the clear values do not change, so nothing belongs in the
write log, and no service rule applies.
"""

from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from . import crypto
from .fields import BlindIndexField, EncryptedMixin

BATCH = 500


def encrypted_fields() -> list[models.Field]:
    """Every encrypted field of every installed model."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedMixin)
    ]


def blind_index_fields() -> list[BlindIndexField]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.local_concrete_fields
        if isinstance(field, BlindIndexField)
    ]


def _stored(model, field_name: str):
    """The model's rows annotated with the stored (encrypted) text: Cast bypasses from_db_value."""
    return model._base_manager.annotate(_stored=Cast(field_name, models.TextField())).exclude(_stored="")


def _batches(queryset, batch: int) -> Iterator[list]:
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:batch])
        if not rows:
            return
        last = rows[-1].pk
        yield rows


def encrypt_existing(model, field_name: str, *, index: tuple[str, Callable] | None = None) -> int:
    """Encrypt the clear values a column still holds (a data migration), and fill its blind index
    (``index``: the index field's name and the normalising function). Encrypted values are left."""
    count = 0
    fields = [field_name] + ([index[0]] if index else [])
    # Only the primary key is loaded: reading the clear column through the field would decrypt it.
    clear_rows = _stored(model, field_name).exclude(_stored__startswith=f"{crypto.FORMAT}$").only("pk")
    for rows in _batches(clear_rows, BATCH):
        with transaction.atomic():
            for row in rows:
                clear = row._stored
                setattr(row, field_name, clear)
                if index:
                    setattr(row, index[0], crypto.blind_index(index[1](clear)))
            model._base_manager.bulk_update(rows, fields)
        count += len(rows)
    return count


def decrypt_existing(model, field_name: str) -> int:
    """The reverse of encrypt_existing: write the clear values back (a migration rolled back)."""
    count = 0
    for rows in _batches(model._base_manager.exclude(**{field_name: ""}).only("pk", field_name), BATCH):
        with transaction.atomic():
            for row in rows:
                clear = models.Value(getattr(row, field_name), output_field=models.TextField())
                model._base_manager.filter(pk=row.pk).update(**{field_name: clear})
        count += len(rows)
    return count


def stale_rows(field: models.Field):
    """The rows whose value of ``field`` is stored under another key than the current one."""
    current = f"{crypto.FORMAT}${crypto.current_key_id()}$"
    return _stored(field.model, field.name).exclude(_stored__startswith=current)


def reencrypt(field: models.Field, *, batch: int = BATCH) -> Iterator[int]:
    """Re-encrypt under the current key every value of ``field`` still under another key; yields
    the rows done after each committed batch."""
    model = field.model
    for rows in _batches(stale_rows(field).only("pk", field.name), batch):
        with transaction.atomic():
            # Locked and read again inside the transaction: an edit in between is not undone.
            fresh = list(model._base_manager.select_for_update().filter(pk__in=[r.pk for r in rows]))
            model._base_manager.bulk_update(fresh, [field.name])
        yield len(rows)


def stale_index_rows(field: BlindIndexField):
    """The rows whose blind index was made with another key than the current BLIND_INDEX_KEY."""
    return field.model._base_manager.exclude(**{field.name: ""}).exclude(
        **{f"{field.name}__startswith": f"{crypto.blind_index_key_id()}:"}
    )


def reindex(field: BlindIndexField, *, batch: int = BATCH) -> Iterator[int]:
    """Recompute under the current BLIND_INDEX_KEY every blind index made with another key."""
    model = field.model
    for rows in _batches(stale_index_rows(field).only("pk", field.source), batch):
        with transaction.atomic():
            fresh = list(model._base_manager.select_for_update().filter(pk__in=[r.pk for r in rows]))
            for row in fresh:
                setattr(row, field.name, field.index_of(getattr(row, field.source)))
            model._base_manager.bulk_update(fresh, [field.name])
        yield len(rows)
