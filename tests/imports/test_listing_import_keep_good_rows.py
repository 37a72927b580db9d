"""With rows in error, apply writes nothing — unless the user chose explicitly to keep the good
rows; then only those are written and the run says so."""

import pytest

from greenmfg.core.errors import DomainError
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import import_apply, import_upload
from registry.models import Listing
from tests.factories.imports import listing_row, xlsx_upload


def test_apply_refuses_with_errors_and_keeps_the_good_rows_when_asked(demo):
    official = demo["luoyang-city"]
    rows = [
        listing_row(单位名称="甲公司"),
        listing_row(单位名称="乙公司", 所在地区="不存在县"),
        listing_row(单位名称="丙公司"),
    ]
    run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=official)
    with pytest.raises(DomainError, match="仅导入无错误的 2 行"):
        import_apply(run=run, actor=official)
    assert not Listing.objects.exists()

    run = import_apply(run=run, actor=official, keep_good_rows=True)
    assert run.state == ImportRun.State.APPLIED and run.keep_good_rows
    assert (run.written, run.errors) == (2, 1)
    assert set(Listing.objects.values_list("unit_name", flat=True)) == {"甲公司", "丙公司"}


def test_a_run_applies_once(demo):
    official = demo["luoyang-city"]
    run = import_upload(kind="listings", uploaded=xlsx_upload([listing_row()]), actor=official)
    import_apply(run=run, actor=official)
    with pytest.raises(DomainError, match="已导入"):
        import_apply(run=run, actor=official)
    assert Listing.objects.count() == 1


def test_what_changed_since_the_preview_is_checked_again_at_apply(demo):
    official = demo["luoyang-city"]
    row = listing_row()
    first = import_upload(kind="listings", uploaded=xlsx_upload([row]), actor=official)
    second = import_upload(
        kind="listings", uploaded=xlsx_upload([dict(row, 发文文号="另一文号")]), actor=official
    )
    import_apply(run=first, actor=official)
    with pytest.raises(DomainError, match="重新核对"):
        import_apply(run=second, actor=official)
    second.refresh_from_db()
    assert second.state == ImportRun.State.PREVIEWED and second.errors == 1
    assert Listing.objects.count() == 1
