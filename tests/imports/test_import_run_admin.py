"""The Django admin shows import runs (导入记录) to an administrator, read-only."""

from django.urls import reverse

from greenmfg.core.imports.services import import_upload
from tests.factories.imports import listing_row, xlsx_upload


def test_an_administrator_reads_the_runs_and_cannot_change_them(demo, client):
    official = demo["luoyang-city"]
    run = import_upload(kind="listings", uploaded=xlsx_upload([listing_row()]), actor=official)
    client.force_login(demo["admin"])

    page = client.get(reverse("admin:core_importrun_changelist")).content.decode()
    detail = client.get(reverse("admin:core_importrun_change", args=[run.pk]))

    assert run.sha256 in page and run.original_name in page and "listings" in page
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:core_importrun_add")).status_code == 403
    assert client.post(reverse("admin:core_importrun_delete", args=[run.pk])).status_code == 403
