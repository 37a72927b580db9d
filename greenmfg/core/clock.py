"""The portal's one clock: every "now" and "today" in pages, services and sweeps comes from here.

Reading the time in one place means a test pins it in one place (time-machine moves the whole
process), and a later change of how the portal tells the day is made once. Code outside this
module never calls ``timezone.now()``, ``timezone.localdate()``, ``timezone.localtime()`` without
a value, ``date.today()`` or ``datetime.now()``: ruff's banned-API rule (TID251,
``pyproject.toml``) refuses them.

**The demo's date.** A demonstration has to walk a cycle that takes a year: a publicity period
of five working days, a filing window that opens on 1 March. In the demo (``DEMO_CLOCK_FILE``
set, which ``settings/base.py`` does only while DEBUG is on and ``production.py`` never does),
``manage.py set_demo_date 2027-03-01`` writes the date to that file, and from then on this clock
answers that date, with the real time of day, in every process that reads it: the web server,
the in-process tasks, ``run_schedule``. Pages, services and sweeps agree because they ask the
same clock. Nothing else moves a date: no rule lets an official shorten a period.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

_cached: tuple[tuple[str, int], datetime.date | None] | None = None


def demo_date() -> datetime.date | None:
    """The date the demo's clock is set to, or None when it runs on the real date.

    The file is read again only when it changes (one ``stat`` per call), so the web server and
    a worker see ``set_demo_date`` at once without a restart.
    """
    global _cached
    path = getattr(settings, "DEMO_CLOCK_FILE", None)
    if not path:
        return None
    try:
        key = (str(path), os.stat(path).st_mtime_ns)
    except OSError:
        return None
    if _cached is None or _cached[0] != key:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
            value = datetime.date.fromisoformat(text) if text else None
        except (OSError, ValueError):
            value = None
        _cached = (key, value)
    return _cached[1]


def real_now() -> datetime.datetime:
    """The machine's moment, whatever the demo's date (for the banner that says both)."""
    return timezone.now()


def now() -> datetime.datetime:
    """The current moment, aware (UTC)."""
    moment = timezone.now()
    date = demo_date()
    if date is None:
        return moment
    local = timezone.localtime(moment)
    shifted = local.replace(year=date.year, month=date.month, day=date.day)
    return shifted.astimezone(datetime.UTC)


def local_now() -> datetime.datetime:
    """The current moment in the portal's time zone (Asia/Shanghai)."""
    return timezone.localtime(now())


def today() -> datetime.date:
    """Today's date in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def real_today() -> datetime.date:
    """The machine's date in Asia/Shanghai, whatever the demo's date."""
    return timezone.localdate(real_now())


def set_demo_date(date: datetime.date | None) -> None:
    """Set the demo's date (None: back to the real date). Refused where the demo clock is off."""
    path = getattr(settings, "DEMO_CLOCK_FILE", None)
    if not path:
        raise RuntimeError("DEMO_CLOCK_FILE is not set: the demo clock is off here.")
    if date is None:
        Path(path).unlink(missing_ok=True)
        return
    temporary = Path(f"{path}.tmp")
    temporary.write_text(date.isoformat() + "\n", encoding="utf-8")
    os.replace(temporary, path)
