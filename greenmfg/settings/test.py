"""Test settings: fast hashing, tasks in-process, mail kept in memory.

The database comes from DATABASE_URL as elsewhere, so the same suite runs on SQLite and on
PostgreSQL (CI).
"""

from greenmfg.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_CLOCK_FILE = None  # tests pin the clock with time-machine
NAV_COUNTS_SECONDS = 0  # counted on every page (tests/portal/test_navigation.py turns it on)
STATISTICS_CACHE_SECONDS = 0  # counted on every request (one test turns the cache on)
