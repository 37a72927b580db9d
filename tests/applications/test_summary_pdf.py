"""申报摘要 PDF: the facts, the pre-check with its articles, the documents with SHA-256."""

import io

import pytest
from pypdf import PdfReader

from applications.services.applications import application_precheck
from applications.services.documents import document_upload
from greenmfg.core.pdf import cjk_font_available
from tests.applications.helpers import pdf_upload
from tests.applications.test_submission import ready_application

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_cjk_font_is_installed():
    """Without one WeasyPrint silently draws empty boxes for every Chinese character."""
    assert cjk_font_available()


def test_the_summary_holds_the_facts_findings_and_checksums(client, demo):
    application, applicant = ready_application(demo)
    application_precheck(application=application, actor=applicant)
    version = application.documents.get().current
    client.force_login(applicant)

    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f"/applications/{application.pk}/pdf/" in page
    text = text_of(client.get(f"/applications/{application.pk}/pdf/"))

    flat = text.replace("\n", "")
    assert "绿色制造名单申报摘要" in flat
    assert application.organisation.name in flat
    assert application.organisation.credit_code in flat
    assert "资格自查结果" in flat and "第" in flat and "条" in flat
    assert version.sha256[:16] in flat.replace(" ", "")
    assert "第 1 页" in text and application.batch.authority.name in flat


def test_the_summary_follows_the_application_pages_permissions(client, demo):
    application, _applicant = ready_application(demo)

    client.force_login(demo["jinan-county"])
    assert client.get(f"/applications/{application.pk}/pdf/").status_code == 404
    client.force_login(demo["luoyang-county"])
    assert client.get(f"/applications/{application.pk}/pdf/").status_code == 200
    client.logout()
    assert client.get(f"/applications/{application.pk}/pdf/").status_code == 302


def test_uploaded_versions_are_all_listed(client, demo):
    application, applicant = ready_application(demo)
    document_upload(
        application=application,
        actor=applicant,
        kind="self_evaluation",
        uploaded_file=pdf_upload("自评价报告（修订）.pdf", pages=2),
    )
    client.force_login(applicant)

    text = text_of(client.get(f"/applications/{application.pk}/pdf/")).replace("\n", "")

    for version in application.documents.get().versions.all():
        assert version.sha256[:16] in text.replace(" ", "")
