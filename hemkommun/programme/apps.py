from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "hemkommun.programme"
    label = "programme"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            Action,
            ActionStatus,
            Activity,
            AnonymousAttendance,
            Attendance,
            Indicator,
            IndicatorValue,
            Programme,
            ProgrammeOwner,
            ReviewInterval,
            Session,
            Theme,
        )

        # Approvals, statuses, texts, figures and attendance keep every earlier value in the write log.
        for model in (
            Programme,
            ProgrammeOwner,
            Theme,
            Action,
            ActionStatus,
            Indicator,
            IndicatorValue,
            ReviewInterval,
        ):
            auditlog.register(model)
        for model in (Activity, Session, Attendance, AnonymousAttendance):
            auditlog.register(model)
