"""The portal's one clock: every "now" and "today" in pages, services and sweeps comes from here.

Reading the time in one place means a test pins it in one place (time-machine moves the whole
process), and a later change of how the portal tells the day (a demo date, a sweep run for
another day) is made once. Code outside this module never calls ``timezone.now()``,
``timezone.localdate()``, ``timezone.localtime()`` without a value, ``date.today()`` or
``datetime.now()``: ruff's banned-API rule (TID251, ``pyproject.toml``) refuses them.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current moment, aware (UTC)."""
    return timezone.now()


def local_now() -> datetime.datetime:
    """The current moment in the portal's time zone (Asia/Shanghai)."""
    return timezone.localtime(now())


def today() -> datetime.date:
    """Today's date in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())
