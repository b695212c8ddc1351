from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "hemkommun.programme"
    label = "programme"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Action, ActionStatus, Programme, ProgrammeOwner, Theme

        # Approvals, statuses and texts keep every earlier value in the write log.
        for model in (Programme, ProgrammeOwner, Theme, Action, ActionStatus):
            auditlog.register(model)
