from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hemkommun.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Seals every write-log entry as auditlog saves it (chain.seal_log_entry).
        from . import receivers  # noqa: F401
