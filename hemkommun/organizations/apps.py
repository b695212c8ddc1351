from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "hemkommun.organizations"
    label = "organizations"

    def ready(self) -> None:
        from . import audit_registration  # noqa: F401  (registers models with auditlog)
