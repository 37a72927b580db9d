from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """申报：applications, batches and the cultivation pool."""

    name = "applications"
    verbose_name = _("申报管理")
