from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "hemkommun.access"
    label = "access"

    def ready(self) -> None:
        from . import audit_registration, policy  # noqa: F401  (registers auditlog and rules)
