from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """名单：the listed units, announcements and complaints."""

    name = "registry"
    verbose_name = _("名单管理")
