from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Local sign-in: the password step, second factors, lock-out, sessions and sign-out everywhere."""

    name = "hemkommun.accounts"
    label = "accounts"
