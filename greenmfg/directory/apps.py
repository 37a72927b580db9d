from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Jurisdictions (行政区划) and the organisations that sit in them."""

    name = "greenmfg.directory"
    label = "directory"
    verbose_name = _("区划与单位")
