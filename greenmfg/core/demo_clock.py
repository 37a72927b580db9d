"""The banner that says, on every page, that the demo's clock is set to another date."""

from greenmfg.core import clock


def banner(request) -> dict:
    """``demo_date`` and ``real_date`` for templates/includes/demo_clock_banner.html."""
    date = clock.demo_date()
    if date is None:
        return {}
    return {"demo_date": date, "real_date": clock.real_today()}
