"""名单 PDF: a short list streams at once; a long one is built by Celery with its progress."""

import io

import pytest
from pypdf import PdfReader

from greenmfg.core.models import GeneratedDocument
from registry.models import Listing
from registry.services.document import render_list_pdf
from tests.factories import ListingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def listings(demo, count, *, level="city", prefix="名单测试企业"):
    county = demo["luoyang-enterprise"].organisation.jurisdiction
    authority = demo["luoyang-city"].organisation
    rows = []
    for index in range(count):
        unit = OrganisationFactory(jurisdiction=county, name=f"{prefix}{index:03d}有限公司")
        rows.append(
            ListingFactory(
                organisation=unit,
                unit_type="factory",
                level=level,
                year=2025,
                authority=authority,
                document_number="洛工信〔2025〕37号",
                created_by=demo["luoyang-city"],
            )
        )
    return rows


def text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_short_list_streams_at_once_with_the_filtered_rows(client, demo):
    listings(demo, 3)
    listings(demo, 1, level="province", prefix="省级名单企业")

    response = client.get("/mingdan/pdf/?level=city")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = text(response.content).replace("\n", "")
    assert "共 3 家单位" in body and "名单测试企业002有限公司" in body
    assert "洛工信〔2025〕37号" in body and "第 1 页" in body
    assert not GeneratedDocument.objects.exists()


def test_a_long_list_is_built_in_the_background_and_downloaded(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.PDF_STREAM_MAX_ROWS = 2
    listings(demo, 5)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/mingdan/pdf/?region=410300")

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and document.token in response.url
    # Tests run Celery in-process: the task has run by now.
    document.refresh_from_db()
    assert (document.status, document.progress, document.rows) == ("done", 100, 5)
    page = client.get(response.url).content.decode()
    assert "下载 PDF" in page and 'value="100"' in page
    pdf = client.get(f"/mingdan/documents/{document.token}/file/")
    assert "共 5 家单位" in text(b"".join(pdf.streaming_content)).replace("\n", "")
    assert client.get("/mingdan/documents/not-a-token/").status_code == 404


def test_progress_is_told_in_stages(demo):
    listings(demo, 2)
    stages = []

    render_list_pdf(
        Listing.objects.all(), title="名单", progress=lambda p, s: stages.append((p, s))
    )

    assert [percent for percent, _stage in stages] == [5, 25, 85, 100]
    assert "排版（2 家单位）" in stages[1][1]
