"""Above IMPORT_ASYNC_ROWS rows the preview and the apply run in Celery (eager in the tests),
queued after the commit; the run's page shows the progress meanwhile."""

from django.core.cache import cache

from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import (
    import_apply,
    import_upload,
    progress_key,
    run_progress,
)
from registry.models import Listing
from tests.factories.imports import listing_row, xlsx_upload


def test_a_large_file_is_previewed_and_applied_by_the_tasks(
    demo, settings, django_capture_on_commit_callbacks, client
):
    settings.IMPORT_ASYNC_ROWS = 2
    official = demo["luoyang-city"]
    rows = [listing_row(单位名称=f"后台导入{n}有限公司") for n in range(3)]
    with django_capture_on_commit_callbacks() as queued:
        run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=official)
    assert run.state == ImportRun.State.QUEUED
    client.force_login(official)
    page = client.get(f"/registry/listings/import/{run.pk}/").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page
    for callback in queued:
        callback()
    run.refresh_from_db()
    assert (run.state, run.new) == (ImportRun.State.PREVIEWED, 3)

    with django_capture_on_commit_callbacks() as queued:
        run = import_apply(run=run, actor=official)
    assert run.state == ImportRun.State.APPLYING
    for callback in queued:
        callback()
    # The apply's transaction reported its steps through the cache (the page's progress bar).
    assert 40 < cache.get(progress_key(run.pk)) < 100
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and run.written == 3
    assert run_progress(run) == 100
    assert Listing.objects.count() == 3
