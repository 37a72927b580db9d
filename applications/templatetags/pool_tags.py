"""``{% pool_panel user %}``: the 培育库 card of an official's dashboard."""

from django import template
from django.utils.translation import gettext as _

from applications.models import CultivationCandidate
from applications.selectors.pool import is_pool_keeper, pool_summary
from greenmfg.accounts.roles import Role

register = template.Library()


@register.inclusion_tag("applications/pool_panel.html")
def pool_panel(user) -> dict:
    """Counts by state over the user's pool (a county's own, a city's or province's counties'),
    each linking to the filtered list; county officials also get the button to add one."""
    if not (user.is_authenticated and (user.is_official or user.is_sysadmin)):
        return {"show": False}
    summary = pool_summary(user=user)
    return {
        "show": True,
        "rows": [
            (status, label, summary[status])
            for status, label in CultivationCandidate.Status.choices
        ],
        "total": sum(summary.values()),
        "can_add": is_pool_keeper(user=user),
        "scope_note": ""
        if user.effective_role == Role.COUNTY_OFFICIAL
        else _("辖区内各县（区）培育库合计，由县（区）工信部门维护。"),
    }
