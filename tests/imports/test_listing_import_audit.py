"""Every import is on the audit trail: who, when, which file (SHA-256), how many rows."""

import hashlib

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.imports.services import import_apply, import_upload
from registry.models import Listing
from tests.factories.imports import listing_row, xlsx_bytes
from tests.factories.imports import upload as uploaded


def test_upload_preview_and_apply_are_audited_with_the_checksum(demo):
    official = demo["luoyang-city"]
    content = xlsx_bytes([listing_row(), listing_row(单位名称="另一公司")])
    run = import_upload(
        kind="listings", uploaded=uploaded(content, "存量名单.xlsx"), actor=official
    )
    import_apply(run=run, actor=official)
    entries = {entry.action: entry for entry in audit_entries_for(subject=run)}
    assert set(entries) == {"import_upload", "import_preview", "import_apply"}
    for entry in entries.values():
        assert entry.actor == official
        assert entry.data["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry.data["rows"] == 2
        assert entry.data["file"] == "存量名单.xlsx"
    assert entries["import_apply"].data["written"] == 2
    # The source file is kept with the run, and each listing points to it.
    run.file.open("rb")
    assert run.file.read() == content
    assert set(Listing.objects.values_list("import_run", flat=True)) == {run.pk}
    listing = Listing.objects.first()
    assert audit_entries_for(subject=listing).get().actor == official
