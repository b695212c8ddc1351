from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hemkommun.api"
    label = "api"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import schema  # noqa: F401  (registers the token scheme in the OpenAPI document)
        from .models import ApiToken

        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
