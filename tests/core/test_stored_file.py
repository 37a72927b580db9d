"""One shape for every stored upload: the same fields, one path rule, one fill from the check.

The stored name never carries what the uploader typed (the original name is kept in the row for
display; a download takes only its stem, tests/core/test_download_names.py), so a file name
cannot steer where a file lands.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Document, DocumentVersion
from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from dynamic_mgmt.models import AnnualTableAttachment, ChangeDocument
from greenmfg.core.stored_files import StoredFile, StoredFileContent, upload_path
from registry.models import ComplaintEvidence
from reviews.models import OpinionAttachment
from tests.applications.helpers import pdf_bytes
from tests.factories import UserFactory
from thirdparty.models import AnnualReport

UPLOAD_ROWS = [
    DocumentVersion,
    OpinionAttachment,
    ComplaintEvidence,
    AnnualTableAttachment,
    ChangeDocument,
]
FILE_ROWS = [*UPLOAD_ROWS, AnnualReport]
CONTENT_FIELDS = {
    "file",
    "original_name",
    "extension",
    "content_type",
    "size",
    "sha256",
    "pages",
}
UPLOAD_FIELDS = CONTENT_FIELDS | {"uploaded_by", "uploaded_at"}

HOSTILE_NAME = "../../etc/举报材料 <script>.pdf"
SHA = "a" * 64


def _rows():
    """One unsaved row of each file model, its parents given as ids."""
    return [
        DocumentVersion(document=Document(id=3, application_id=7), number=2),
        OpinionAttachment(request_id=5),
        ComplaintEvidence(complaint_id=6),
        AnnualTableAttachment(table_id=8),
        ChangeDocument(report_id=9, kind=ChangeDocument.Kind.REVISED_REPORT, number=4),
        AnnualReport(agency_id=11, year=2025, number=1),
    ]


def _checked(name: str = HOSTILE_NAME):
    upload = SimpleUploadedFile(name, pdf_bytes(pages=3), content_type="application/pdf")
    return check_upload(upload, pdf_only=False, max_bytes=SUPPORTING_MAX_BYTES)


@pytest.mark.parametrize("model", UPLOAD_ROWS, ids=lambda m: m.__name__)
def test_stored_file_every_upload_row_has_the_uniform_fields(model):
    """Each upload row keeps the file, what its content is, and who uploaded it when."""
    assert issubclass(model, StoredFile)
    names = {field.name for field in model._meta.get_fields()}
    assert names >= UPLOAD_FIELDS


def test_stored_file_annual_report_has_the_uniform_content_fields():
    """The annual report keeps its uploader as submitted_by (the name its API publishes)."""
    assert issubclass(AnnualReport, StoredFileContent)
    names = {field.name for field in AnnualReport._meta.get_fields()}
    assert CONTENT_FIELDS | {"submitted_by", "submitted_at"} <= names


@pytest.mark.parametrize("model", FILE_ROWS, ids=lambda m: m.__name__)
def test_stored_file_every_row_stores_through_the_one_path_helper(model):
    assert model._meta.get_field("file").upload_to is upload_path


def test_stored_file_paths_keep_each_models_folder():
    """New files land where the files of the same model have always landed."""
    rows = _rows()
    for row in rows:
        row.sha256, row.extension = SHA, "pdf"
    assert [upload_path(row, HOSTILE_NAME) for row in rows] == [
        f"applications/7/3/{SHA}.pdf",
        f"opinions/5/{SHA}.pdf",
        f"complaints/6/{SHA}.pdf",
        f"annual-tables/8/{SHA}.pdf",
        f"change-reports/9/revised_report/v4-{SHA}.pdf",
        f"agency-reports/11/2025/{SHA}.pdf",
    ]


def test_stored_file_path_never_contains_the_uploaders_file_name():
    for row in _rows():
        row.sha256, row.extension = SHA, "pdf"
        path = upload_path(row, HOSTILE_NAME)
        assert "etc" not in path
        assert ".." not in path
        assert "举报材料" not in path
        assert "<" not in path


@pytest.mark.parametrize("index", range(len(FILE_ROWS)), ids=[m.__name__ for m in FILE_ROWS])
def test_stored_file_fill_from_copies_every_field_and_stores_under_the_checksum(index):
    row = _rows()[index]
    checked = _checked()
    if isinstance(row, StoredFile):
        row.fill_from(checked, uploaded_by=None)
    else:
        row.fill_from(checked)
    assert row.original_name == checked.original_name == "举报材料 <script>.pdf"
    assert row.extension == "pdf"
    assert row.content_type == "application/pdf"
    assert row.size == len(checked.content)
    assert row.sha256 == checked.sha256
    assert row.pages == 3
    assert row.file.name.endswith(f"{checked.sha256}.pdf")
    assert "举报材料" not in row.file.name
    row.file.open("rb")
    assert row.file.read() == checked.content
    row.file.close()


def test_stored_file_fill_from_records_the_uploader(db):
    user = UserFactory()
    row = OpinionAttachment(request_id=5)
    row.fill_from(_checked("意见.pdf"), uploaded_by=user)
    assert row.uploaded_by == user
