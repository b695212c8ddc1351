from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hemkommun.core"
    label = "core"
