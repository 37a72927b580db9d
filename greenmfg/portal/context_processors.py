"""The portal's template context: the menu of the signed-in user's role."""

from greenmfg.portal.navigation import navigation_for


def navigation(request) -> dict:
    """``nav``: the grouped menu, built only when a template reads it, once per request."""
    return {"nav": navigation_for(request)}
