"""The 动态管理表 panel of a listed unit's dashboard."""

from django import template
from django.utils import timezone

from ..table_selectors import my_filings

register = template.Library()
PANEL_ROWS = 5


@register.inclusion_tag("dynamic_mgmt/table_panel.html")
def annual_table_panel(user):
    """The unit's tables to file first (open or overdue), then the latest filed; nothing for
    a user whose organisation is on no list."""
    rows = my_filings(user=user, today=timezone.localdate())
    return {"rows": rows[:PANEL_ROWS]}
