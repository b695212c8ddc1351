from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "hemkommun.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Subscription

        # Who subscribed whom to what is in the change log; the secret never is.
        auditlog.register(Subscription, exclude_fields=["secret"])
