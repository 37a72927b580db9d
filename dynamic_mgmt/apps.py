from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DynamicMgmtConfig(AppConfig):
    """动态管理：annual tables, changes, re-reviews and removals."""

    name = "dynamic_mgmt"
    verbose_name = _("动态管理")
