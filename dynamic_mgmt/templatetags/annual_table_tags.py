"""The 动态管理表 panel of a listed unit's dashboard."""

from django import template

register = template.Library()
PANEL_ROWS = 5


@register.inclusion_tag("dynamic_mgmt/table_panel.html")
def annual_table_panel(filings):
    """The unit's tables to file first (open or overdue), then the latest filed, as the
    dashboard's 待办 read them (``Inbox.filings``); nothing for a unit on no list."""
    return {"rows": filings[:PANEL_ROWS]}
