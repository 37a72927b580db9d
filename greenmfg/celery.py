"""The Celery application. Tasks are found in each app's ``tasks.py``.

With no broker configured (no REDIS_URL), settings turn on ``task_always_eager`` and tasks run
in-process, so ``make run`` needs no Redis. The beat schedule lives here, in code, where review
can see it.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")

app = Celery("greenmfg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Pick up notifications whose first delivery failed or whose worker died before sending.
    "notifications-resend-queued": {
        "task": "greenmfg.notifications.tasks.task_send_queued_notifications",
        "schedule": crontab(minute="*/5"),
    },
}
