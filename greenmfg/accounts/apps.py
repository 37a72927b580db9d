from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, and the jurisdiction scoping every app uses."""

    name = "greenmfg.accounts"
    label = "accounts"
    verbose_name = _("用户与角色")
