from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "hemkommun.subject_access"
    label = "subject_access"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import SubjectAccessRequest

        auditlog.register(SubjectAccessRequest)
