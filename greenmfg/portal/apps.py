from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top of the order of apps: dashboards, ``seed_demo`` and ``generate_data``."""

    name = "greenmfg.portal"
    label = "portal"
    verbose_name = _("门户")
