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
    # Tasks the broker could not take when they were queued (greenmfg.core.outbox).
    "core-flush-outbox": {
        "task": "greenmfg.core.tasks.task_flush_outbox",
        "schedule": crontab(minute="*/5"),
    },
    # The dashboards' organisation counts, recounted exactly before the sweeps run.
    "directory-organisation-counts": {
        "task": "greenmfg.directory.tasks.task_rebuild_organisation_counts",
        "schedule": crontab(hour=1, minute=10),
    },
    # Generated exports and PDFs older than DOCUMENT_RETENTION_DAYS, with their files (the
    # published lists' PDFs stay).
    "documents-delete-expired": {
        "task": "greenmfg.core.tasks.task_delete_expired_documents",
        "schedule": crontab(hour=3, minute=30),
    },
    # 公示期满: publicities whose last day has passed are ended, and their authorities told.
    "reviews-end-publicities": {
        "task": "reviews.tasks.task_end_publicities",
        "schedule": crontab(hour=1, minute=20),
    },
    # 动态管理: the nightly sweeps (dynamic_mgmt.schedule) from 01:30 Asia/Shanghai
    # (CELERY_TIMEZONE), ten minutes apart in the order they build on (a window is opened before
    # its reminders); each is idempotent and retried on database errors.
    **{
        f"dynamic-{name}": {
            "task": f"dynamic_mgmt.tasks.{task}",
            "schedule": crontab(hour=(90 + 10 * step) // 60, minute=(90 + 10 * step) % 60),
        }
        for step, (name, task) in enumerate(
            [
                ("open-windows", "task_open_windows"),
                ("reminders", "task_send_reminders"),
                ("mark-late", "task_mark_late"),
                ("indicators", "task_check_indicators"),
                ("re-reviews", "task_re_reviews"),
                ("credit", "task_recheck_credit"),
                ("benchmarks", "task_compute_benchmarks"),
            ]
        )
    },
}
