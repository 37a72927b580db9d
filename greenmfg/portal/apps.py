from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from greenmfg.core.queries import register_sqlite_functions


class PortalConfig(AppConfig):
    """The top of the order of apps: dashboards, ``seed_demo`` and ``generate_data``."""

    name = "greenmfg.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self):
        # The statistics pages' medians (greenmfg.core.queries.Percentile) need an aggregate
        # SQLite lacks; PostgreSQL has percentile_cont.
        connection_created.connect(register_sqlite_functions, dispatch_uid="sqlite_percentile")
