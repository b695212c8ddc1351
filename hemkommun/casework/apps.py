from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "hemkommun.casework"
    label = "casework"

    def ready(self) -> None:
        from . import audit_registration  # noqa: F401  (registers models with auditlog)
