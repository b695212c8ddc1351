from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "hemkommun.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ExternalIdentity, IdentityProvider

        # Who configured which identity provider, and which accounts were linked, is in the change log.
        auditlog.register(IdentityProvider, m2m_fields={"organisations"})
        auditlog.register(ExternalIdentity)
