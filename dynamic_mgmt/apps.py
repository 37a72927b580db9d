from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from greenmfg.core.workdays import register_schedule_source


class DynamicMgmtConfig(AppConfig):
    """动态管理：annual tables, changes, re-reviews and removals."""

    name = "dynamic_mgmt"
    verbose_name = _("动态管理")

    def ready(self) -> None:
        # The holiday table is dynamic_mgmt's, the date logic core's: every period in every
        # app (reviews' publicity too) reads the administrators' entries through this lookup.
        # calendar_services imports models, which only exist once the registry is ready — the
        # one import Django wants inside ready().
        from dynamic_mgmt.services.calendar import schedule_for

        register_schedule_source(schedule_for)
