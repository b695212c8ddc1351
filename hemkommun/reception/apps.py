from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "hemkommun.reception"
    label = "reception"

    def ready(self) -> None:
        from . import audit_registration  # noqa: F401  (registers models with auditlog)
