from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hemkommun.core"
    label = "core"

    def ready(self):
        from django.core import checks

        from .crypto import check_keys

        # A wrong key is found when the application starts, not at the first client read.
        checks.register(check_keys, checks.Tags.security)
