"""Stored files are kept and served under their checked type's extension, never the uploader's.

A real PDF named ``poly.html``, ``poly.pdf.html`` or ``poly.svg`` is accepted (its bytes are a
PDF), stored as ``<sha256>.pdf`` and downloaded as ``poly.pdf``: a user who saves and opens it
opens a PDF, not a page that runs script. The uploader's name is still shown, escaped.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services.applications import application_create
from applications.services.documents import document_upload
from greenmfg.core.files import download_name
from greenmfg.core.imports.models import ImportRun
from tests.applications.helpers import city_batch, pdf_bytes
from tests.factories.imports import csv_text, listing_row, upload, xlsx_bytes

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE_NAMES = ["poly.html", "poly.pdf.html", "poly.svg"]


@pytest.mark.parametrize(
    ("name", "content_type", "served"),
    [
        ("poly.html", PDF, "poly.pdf"),
        ("poly.pdf.html", PDF, "poly.pdf"),
        ("poly.svg", PDF, "poly.pdf"),
        ("poly.html", "image/png", "poly.png"),
        ("poly.htm", "image/jpeg", "poly.jpg"),
        ("名单.xlsx.html", XLSX, "名单.xlsx"),
        ("名单.svg", "text/csv", "名单.csv"),
        ("申报书（2026）.PDF", PDF, "申报书（2026）.pdf"),
        ("报告 v2.0 终稿.pdf", PDF, "报告 v2.0 终稿.pdf"),
        ("../../etc/passwd.pdf", PDF, "_.._etc_passwd.pdf"),
        ('a"b<c>.pdf', PDF, "a_b_c_.pdf"),
        ("名单 A/B.pdf", PDF, "名单 A_B.pdf"),
        ("line\r\nbreak.pdf", PDF, "linebreak.pdf"),
        (".html", PDF, "html.pdf"),
        ("", PDF, "file.pdf"),
        ("poly.html", "application/x-unknown", "poly.bin"),
    ],
    ids=lambda value: value if isinstance(value, str) and value else None,
)
def test_download_name_takes_the_stem_and_the_checked_type(name, content_type, served):
    assert download_name(name, content_type=content_type) == served


@pytest.fixture
def application(demo):
    return application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_pdf_under_a_dangerous_name_is_stored_and_served_as_pdf(client, demo, application, name):
    version = document_upload(
        application=application,
        actor=demo["luoyang-enterprise"],
        kind="self_evaluation",
        uploaded_file=SimpleUploadedFile(name, pdf_bytes(pages=2)),
    )
    assert version.file.name.endswith(f"/{version.sha256}.pdf")
    assert (version.extension, version.content_type) == ("pdf", PDF)
    assert version.original_name == name

    client.force_login(demo["luoyang-enterprise"])
    response = client.get(f"/documents/{version.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_uploaders_name_is_still_shown_escaped(client, demo, application):
    name = "<b onmouseover=x>poly.pdf.html"
    document_upload(
        application=application,
        actor=demo["luoyang-enterprise"],
        kind="self_evaluation",
        uploaded_file=SimpleUploadedFile(name, pdf_bytes()),
    )
    client.force_login(demo["luoyang-enterprise"])
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert "&lt;b onmouseover=x&gt;poly.pdf.html" in page
    assert "<b onmouseover" not in page


IMPORT_URL = "/registry/listings/import/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "extension", "content_type"),
    [
        (lambda: xlsx_bytes([listing_row()]), "名单.xlsx.html", "xlsx", XLSX),
        (lambda: xlsx_bytes([listing_row()]), "名单.svg", "xlsx", XLSX),
        (lambda: csv_text([listing_row()]).encode("utf-8-sig"), "名单.html", "csv", "text/csv"),
    ],
    ids=["xlsx-as-html", "xlsx-as-svg", "csv-as-html"],
)
def test_an_import_file_is_stored_and_served_under_its_checked_type(
    client, demo, content, name, extension, content_type
):
    client.force_login(demo["luoyang-city"])
    response = client.post(IMPORT_URL, {"file": upload(content(), name)})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.file.name.endswith(f"{run.sha256}.{extension}")
    assert run.original_name == name
    assert name in client.get(f"{IMPORT_URL}{run.pk}/").content.decode()

    served = client.get(f"{IMPORT_URL}{run.pk}/file/")
    assert served["Content-Disposition"] == (
        f"attachment; filename*=utf-8''%E5%90%8D%E5%8D%95.{extension}"
    )
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
