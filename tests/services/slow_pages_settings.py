"""The settings of a test's worker whose sweeps page slowly (tests/services/slow_pages.py): the
portal's own, plus that module among the ones the worker imports at its start."""

from greenmfg.settings.base import *  # noqa: F403

CELERY_IMPORTS = ["tests.services.slow_pages"]
