from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared pieces: domain errors, the workflow helper, the API plumbing, the shell pages."""

    name = "greenmfg.core"
    label = "core"
    verbose_name = _("平台基础")
