from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "hemkommun.compensation"
    label = "compensation"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Parameter, PayeeRoute

        # Every earlier value of a parameter stays readable in the write log.
        auditlog.register(Parameter)
        auditlog.register(PayeeRoute)
