"""``{% agency_flag_panel application %}``: the blacklist warning on the application page.

Shown when the application's agency is barred where the application is (an entry in force of
the application's jurisdiction or one above it: ``thirdparty.selectors.agencies.blacklisting``), to
the
officials overseeing the application, to the applicant and to the agency's own staff. Whoever
else may open the page (an expert, a consulted department) does not see it.
"""

from django import template

from greenmfg.accounts.scoping import can_oversee
from thirdparty.selectors.blacklist import application_blacklisting

register = template.Library()


def _concerned(user, application) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    if user.is_official:
        return can_oversee(user, application.jurisdiction)
    return user.organisation_id is not None and user.organisation_id in (
        application.organisation_id,
        application.agency_id,
    )


@register.inclusion_tag("thirdparty/agency_flag_panel.html", takes_context=True)
def agency_flag_panel(context, application) -> dict:
    request = context["request"]
    user = request.user
    if not application.agency_id or not _concerned(user, application):
        return {"show": False}
    entry = application_blacklisting(application=application)
    if entry is None:
        return {"show": False}
    return {
        "show": True,
        "user": user,
        "application": application,
        "entry": entry,
        # The entry binds the application's jurisdiction, so it lies on the same path as the
        # official's own: it is on their blacklist page, decided in their subtree or above it.
        "can_open_entry": user.is_official or user.is_sysadmin,
    }
