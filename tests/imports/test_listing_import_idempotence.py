"""Importing the same file again changes nothing: every row is unchanged, nothing is written."""

from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.directory.models import Organisation, OrganisationCount
from registry.models import Listing, ListingEvent
from tests.factories.imports import listing_row, xlsx_bytes
from tests.factories.imports import upload as uploaded


def snapshot():
    return (
        Listing.objects.count(),
        Organisation.objects.count(),
        ListingEvent.objects.count(),
        AuditEntry.objects.exclude(content_type__model="importrun").count(),
        sorted(OrganisationCount.objects.values_list("jurisdiction_id", "kind", "status", "total")),
    )


def test_the_same_file_twice_changes_nothing(demo):
    official = demo["luoyang-city"]
    rows = [
        listing_row(单位名称="甲公司"),
        listing_row(单位名称="乙公司", 名单层级="省级"),
        listing_row(单位名称="丙公司", 名单类型="绿色设计产品", 产品名称="电机", 产品型号="YE3-80"),
    ]
    content = xlsx_bytes(rows)
    first = import_upload(kind="listings", uploaded=uploaded(content), actor=official)
    import_apply(run=first, actor=official)
    after_first = snapshot()

    again = import_upload(kind="listings", uploaded=uploaded(content), actor=official)
    assert (again.new, again.matched, again.unchanged, again.errors) == (0, 0, 3, 0), again.results
    assert again.sha256 == first.sha256
    again = import_apply(run=again, actor=official)
    assert again.written == 0
    assert snapshot() == after_first


def test_a_changed_fact_of_a_listing_already_there_is_an_error_not_an_update(demo):
    official = demo["luoyang-city"]
    row = listing_row()
    run = import_upload(kind="listings", uploaded=uploaded(xlsx_bytes([row])), actor=official)
    import_apply(run=run, actor=official)
    changed = dict(row, 发文文号="洛工信〔2025〕99号")
    again = import_upload(kind="listings", uploaded=uploaded(xlsx_bytes([changed])), actor=official)
    assert again.results[0]["outcome"] == "error"
    assert again.results[0]["column"] == "发文文号"
    assert "名单管理中记录变更" in again.results[0]["reason"]
    assert Listing.objects.get().document_number == row["发文文号"]
