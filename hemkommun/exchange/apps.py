from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "hemkommun.exchange"
    label = "exchange"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import RecordImport

        auditlog.register(RecordImport)
