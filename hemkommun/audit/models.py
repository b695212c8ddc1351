"""The hash chain over the read log (core.ReadEvent) and the write log (auditlog.LogEntry).

Every entry of either log gets one seal, written in the same transaction as the entry: the
seals form one sequence, each digest covering the entry and the digest before it (docs/audit.md).
The seal also carries the few fields the audit viewer filters on, so that the viewer reads one
indexed table instead of a union of two logs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChainHead(models.Model):
    """The one row holding the end of the chain; writers lock it so the chain cannot fork.

    ``legacy_*_max_id``: entries written before the chain was installed (ids up to these) are
    not sealed and not checked.
    """

    sequence = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    legacy_read_max_id = models.BigIntegerField(default=0)
    legacy_write_max_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.sequence} {self.digest}"


class AuditSeal(models.Model):
    class Kind(models.TextChoices):
        READ = "read", pgettext_lazy("audit log entry", "Read")
        WRITE = "write", pgettext_lazy("audit log entry", "Change")
        # A lawful erasure (retention): its entry is an Erasure row listing the removed seals.
        ERASURE = "erasure", pgettext_lazy("audit log entry", "Erasure")

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    entry_id = models.BigIntegerField(_("entry"))
    # Copies of the entry's who, whom, when and what, for the viewer's filters (covered by the digest).
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("staff member"), null=True, blank=True)
    client_id = models.BigIntegerField(_("client"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10)
    previous = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [models.UniqueConstraint(fields=["kind", "entry_id"], name="audit_seal_unique_entry")]
        indexes = [
            models.Index(fields=["-at"], name="audit_seal_at_idx"),
            models.Index(fields=["client_id", "-at"], name="audit_seal_client_idx"),
            models.Index(fields=["actor_id", "-at"], name="audit_seal_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.kind} {self.entry_id}"


class Erasure(models.Model):
    """A lawful removal of log entries (retention), itself sealed as an entry of the chain.

    ``sequences`` lists the seals whose entries were removed, as runs ``[first, last]``; the
    erasure's seal covers every field, so the list cannot be extended to excuse another removal
    without the chain's key. No client number here: ``reference`` is the retention proposal,
    whose destruction record holds the number (docs/audit.md, Lawful erasure).
    """

    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("staff member"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    reference = models.BigIntegerField(_("reference"), null=True, blank=True)
    sequences = models.JSONField(_("sequences"), default=list)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("erasure of log entries")
        verbose_name_plural = _("erasures of log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.purpose} {self.count}"
