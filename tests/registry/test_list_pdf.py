"""名单 PDF: a short list streams at once; a long one is built by Celery with its progress."""

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from greenmfg.core import documents
from greenmfg.core.models import GeneratedDocument
from registry.models import Listing
from registry.services import document as services
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


# --- a long list in parts (issue 16.3) ---------------------------------------------------------


def pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def test_a_long_list_is_built_in_parts_and_merged_with_the_pages_of_every_part(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.PDF_STREAM_MAX_ROWS = 2
    settings.PDF_PART_ROWS = 2
    listings(demo, 5)
    built = []
    original = services._list_part

    def recording(document, index):
        content = original(document, index)
        built.append((index, content))
        return content

    documents.register_builder(
        services.LIST_PDF,
        documents.Builder(parts=services._list_parts, part=recording, merge=services._list_merge),
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get("/mingdan/pdf/?region=410300&ordering=unit_name")
    finally:
        services.register_builders()

    document = GeneratedDocument.objects.get()
    assert (document.status, document.parts_total, document.rows) == ("done", 3, 5)
    assert [index for index, _content in built] == [0, 1, 2]
    merged = b"".join(client.get(f"/mingdan/documents/{document.token}/file/").streaming_content)
    assert pages(merged) == sum(pages(content) for _index, content in built)
    body = text(merged).replace("\n", "")
    # The title and count once, the rows numbered through the parts, the whole's page numbers.
    assert body.count("共 5 家单位") == 1
    for number in range(5):
        assert f"名单测试企业{number:03d}有限公司" in body
    total = pages(merged)
    assert f"第 1 页 共 {total} 页" in body and f"第 {total} 页 共 {total} 页" in body
    assert response.url == f"/documents/{document.token}/"
    # The parts are not kept once merged.
    assert not any(
        default_storage.exists(documents.part_file(entry)) for entry in document.parts_done.values()
    )


def test_a_part_that_keeps_failing_fails_the_document_with_no_file(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.PDF_STREAM_MAX_ROWS = 2
    settings.PDF_PART_ROWS = 2
    listings(demo, 5)
    calls = []

    def broken(document, index):
        calls.append(index)
        if index == 1:
            raise OSError("WeasyPrint ran out of memory")
        return services._list_part(document, index)

    documents.register_builder(
        services.LIST_PDF,
        documents.Builder(parts=services._list_parts, part=broken, merge=services._list_merge),
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get("/mingdan/pdf/?region=410300")
    finally:
        services.register_builders()

    document = GeneratedDocument.objects.get()
    assert calls.count(1) == 1 + documents.MAX_RETRIES
    assert document.status == "failed" and not document.file
    page = client.get(response.url).content.decode()
    assert "生成失败（已尝试 3 次）" in page and "下载 PDF" not in page
    assert client.get(f"/mingdan/documents/{document.token}/file/").status_code == 404


def test_the_same_list_asked_twice_while_it_is_built_is_one_document(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.PDF_STREAM_MAX_ROWS = 2
    listings(demo, 3)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get("/mingdan/pdf/?level=city")
        second = client.get("/mingdan/pdf/?level=city&page=2")

    assert first.url == second.url and len(queued) == 1
    assert GeneratedDocument.objects.count() == 1


def test_a_list_pdf_with_an_unknown_filter_is_refused_with_the_reason(client, demo):
    listings(demo, 1)

    response = client.get("/mingdan/pdf/?levle=city")

    assert response.status_code == 400
    assert "筛选条件“levle”不存在" in response.content.decode()
    bad = client.get("/mingdan/pdf/?year=abc")
    assert bad.status_code == 400 and "筛选条件有误" in bad.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_the_list_with_no_filter_is_every_unit_on_the_list(client, demo):
    listings(demo, 3)

    response = client.get("/mingdan/pdf/")

    assert "共 3 家单位" in text(response.content).replace("\n", "")
