from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "hemkommun.clients"
    label = "clients"

    def ready(self) -> None:
        from . import audit_registration  # noqa: F401  (registers models with auditlog)
