from allauth.account.apps import AccountConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module has two configurations: "accounts" in INSTALLED_APPS means this one
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401


class EmailAddressesConfig(AccountConfig):
    """allauth's account app, under its own name in the admin: the index shows one "Accounts" section, ours."""

    default = False
    verbose_name = "Email addresses"
