from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit trail every state change writes to."""

    name = "greenmfg.audit"
    label = "audit"
    verbose_name = _("操作留痕")
