"""Sealing the write log as django-auditlog writes it.

auditlog saves every LogEntry with ``LogEntry.objects.create`` from its own model signals (and
its m2m handler), so a post_save receiver on LogEntry sees every entry, whichever path made it.
auditlog's pre_log signal, sent just before, hands over the instance, from which the client the
entry is about is read without another query; the m2m path sends no pre_log, and there the
object is looked up.
"""

from contextvars import ContextVar

from auditlog.models import LogEntry
from auditlog.signals import pre_log
from django.core.exceptions import FieldDoesNotExist
from django.db.models.signals import post_save
from django.dispatch import receiver

from hemkommun.clients.models import Client

from .chain import seal_log_entry

_logged_instance: ContextVar = ContextVar("audit_logged_instance", default=None)


@receiver(pre_log, dispatch_uid="audit_remember_instance")
def remember_instance(sender, instance, **kwargs) -> None:
    _logged_instance.set(instance)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_seal_log_entry")
def seal_new_log_entry(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    seal_log_entry(instance.pk, _client_of_entry(instance))


def _client_of_entry(entry: LogEntry) -> int | None:
    remembered = _logged_instance.get()
    _logged_instance.set(None)
    model = entry.content_type.model_class()
    if remembered is not None and type(remembered) is model and str(remembered.pk) == entry.object_pk:
        return client_of(remembered)
    if model is None:
        return None
    found = model._base_manager.filter(pk=entry.object_pk).first()
    return client_of(found) if found is not None else None


def client_of(instance) -> int | None:
    """The client a logged object is about: the client itself, its ``client``, or the client of
    the object it belongs to one step up (a plan's goal, a referral's event); None otherwise."""
    if isinstance(instance, Client):
        return instance.pk
    if _has_client_key(type(instance)) and instance.client_id is not None:
        return instance.client_id
    for field in instance._meta.concrete_fields:
        if field.many_to_one and _has_client_key(field.related_model):
            parent = getattr(instance, field.name, None)
            if parent is not None and parent.client_id is not None:
                return parent.client_id
    return None


def _has_client_key(model) -> bool:
    """Whether the model's ``client`` is a key to a Client: an OpenID provider's ``client_id``, for
    one, is the provider's name for us, not a person."""
    try:
        field = model._meta.get_field("client")
    except FieldDoesNotExist:
        return False
    return field.many_to_one and field.related_model is Client
