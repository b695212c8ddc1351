from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "hemkommun.compensation"
    label = "compensation"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Claim, CostEntry, Parameter, PayeeRoute

        # Every earlier value of a parameter, and every change of a cost or a claim (each state
        # change of a claim included), stays readable in the write log.
        for model in (Parameter, PayeeRoute, CostEntry, Claim):
            auditlog.register(model)
