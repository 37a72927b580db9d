"""Uploads: PDF checked by content, size limits, SHA-256, every version kept, guarded downloads."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import uploads
from applications.models import DocumentVersion
from applications.services.applications import application_create
from applications.services.documents import document_upload
from greenmfg.core.errors import NotPermitted
from tests.applications.helpers import city_batch, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(demo):
    return application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )


def upload(demo, application, uploaded, kind="self_evaluation", title=""):
    return document_upload(
        application=application,
        actor=demo["luoyang-enterprise"],
        kind=kind,
        uploaded_file=uploaded,
        title=title,
    )


def test_pdf_is_stored_with_its_checksum_and_page_count(demo, application):
    content = pdf_bytes(pages=3)
    version = upload(demo, application, SimpleUploadedFile("报告.pdf", content))
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.pages == 3 and version.size == len(content)
    assert version.document.current == version


def test_text_file_named_pdf_is_refused(demo, application):
    with pytest.raises(ValidationError, match="内容不是PDF 文件"):
        upload(demo, application, SimpleUploadedFile("报告.pdf", b"just some text pretending"))


def test_truncated_pdf_is_refused(demo, application):
    with pytest.raises(ValidationError, match="不是完整有效的 PDF"):
        upload(demo, application, SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n garbage"))


def test_empty_file_is_refused(demo, application):
    with pytest.raises(ValidationError, match="0 字节"):
        upload(demo, application, SimpleUploadedFile("报告.pdf", b""))


def test_too_big_file_is_refused(demo, application, monkeypatch):
    monkeypatch.setattr("applications.services.documents.REPORT_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="超过"):
        upload(demo, application, pdf_upload())


def test_image_is_refused_as_report_but_accepted_as_supporting(demo, application):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    with pytest.raises(ValidationError):
        upload(demo, application, SimpleUploadedFile("a.png", png))
    version = upload(
        demo, application, SimpleUploadedFile("a.png", png), kind="supporting", title="营业执照"
    )
    assert version.content_type == "image/png"


def test_every_version_is_kept(demo, application):
    first = upload(demo, application, pdf_upload(pages=1))
    second = upload(demo, application, pdf_upload(pages=2))
    assert (first.number, second.number) == (1, 2)
    assert DocumentVersion.objects.filter(document=first.document).count() == 2
    second.document.refresh_from_db()
    assert second.document.current == second


def test_officials_and_strangers_cannot_upload(demo, application):
    with pytest.raises(NotPermitted):
        document_upload(
            application=application,
            actor=demo["luoyang-county"],
            kind="self_evaluation",
            uploaded_file=pdf_upload(),
        )
    with pytest.raises(NotPermitted):
        document_upload(
            application=application,
            actor=demo["luoyang-agency"],
            kind="self_evaluation",
            uploaded_file=pdf_upload(),
        )


def test_download_is_permission_checked(client, demo, application):
    version = upload(demo, application, pdf_upload())
    url = f"/documents/{version.pk}/download/"
    client.force_login(demo["luoyang-enterprise"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(demo["luoyang-county"])
    assert client.get(url).status_code == 200
    for stranger in ["luoyang-enterprise2", "luoyang-county2", "jinan-city", "luoyang-expert"]:
        client.force_login(demo[stranger])
        assert client.get(url).status_code == 404, stranger
    client.logout()
    assert client.get(url).status_code == 302


def test_files_are_not_served_from_a_media_url(client, demo, application):
    version = upload(demo, application, pdf_upload())
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(f"/media/{version.file.name}").status_code == 404


def test_upload_page_shows_error_and_api_upload(client, demo, application):
    client.force_login(demo["luoyang-enterprise"])
    response = client.post(
        f"/applications/{application.pk}/upload/",
        {"kind": "self_evaluation", "file": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert response.status_code == 400
    assert "内容不是PDF" in response.content.decode()
    api = client.post(
        f"/api/applications/{application.pk}/documents/",
        {"kind": "self_evaluation", "file": pdf_upload()},
    )
    assert api.status_code == 201 and len(api.json()["sha256"]) == 64
    listing = client.get(f"/api/applications/{application.pk}/documents/").json()
    assert listing[0]["versions"][0]["number"] == 1


def test_size_limits_are_what_the_page_says():
    assert uploads.REPORT_MAX_BYTES == 20 * 1024 * 1024
    assert uploads.SUPPORTING_MAX_BYTES == 10 * 1024 * 1024


def test_token_client_downloads_through_the_api(client, demo, application):
    from rest_framework.authtoken.models import Token

    version = upload(demo, application, pdf_upload())
    token = Token.objects.create(user=demo["luoyang-county"])
    url = f"/api/document-versions/{version.pk}/download/"
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    other = Token.objects.create(user=demo["luoyang-county2"])
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {other.key}").status_code == 404


def test_a_version_whose_file_is_missing_is_a_404_not_a_server_error(client, demo, application):
    version = upload(demo, application, pdf_upload())
    version.file.storage.delete(version.file.name)  # lost from storage, the record kept
    client.force_login(demo["luoyang-enterprise"])
    for url in (
        f"/documents/{version.pk}/download/",
        f"/api/document-versions/{version.pk}/download/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "文件不存在或已被移除" in response.content.decode(), url
