from celery import shared_task
from django.db import OperationalError

from greenmfg.directory.services import organisation_counts_rebuild


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def task_rebuild_organisation_counts(self) -> int:
    """Nightly: recount the dashboards' organisation counts exactly (they are kept on every
    save; this repairs what a bulk write or a hand edit of the database left behind)."""
    return organisation_counts_rebuild()
