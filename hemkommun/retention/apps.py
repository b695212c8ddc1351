from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "hemkommun.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from . import audit_registration  # noqa: F401
