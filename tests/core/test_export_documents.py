"""Long exports off the request (issue 16.3): above a row threshold Celery writes the workbook
while the user watches the progress page; identical requests share one build; an unknown
filter is refused with the reason; a failed build is retried, then reported, and never offered.

Tests run Celery in-process (CELERY_TASK_ALWAYS_EAGER): a task queued after a commit has run
once ``django_capture_on_commit_callbacks(execute=True)`` closes.
"""

import io
from datetime import date, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from greenmfg.core import documents
from greenmfg.core.export import Column, write_xlsx
from greenmfg.core.models import GeneratedDocument
from greenmfg.directory.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "directory:organisation-list"


def downloaded(client, document) -> bytes:
    response = client.get(reverse("document-file", args=[document.token]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def county_user(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    for number in range(4):
        OrganisationFactory(jurisdiction=county, name=f"后台导出{number:02d}公司")
    return demo["luoyang-county"]


# --- the threshold -----------------------------------------------------------------------------


def test_under_the_threshold_the_workbook_is_sent_at_once(client, county_user, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 100
    client.force_login(county_user)

    response = client.get(reverse(ORGANISATIONS), {"q": "后台导出", "export": "xlsx"})

    assert response.status_code == 200
    assert len(sheet_rows(response.content)) == 5
    assert not GeneratedDocument.objects.exists()


def test_above_the_threshold_celery_writes_it_and_the_progress_page_offers_it(
    client, county_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    client.force_login(county_user)
    url = reverse(ORGANISATIONS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"q": "后台导出", "ordering": "name", "export": "xlsx"})

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("document-status", args=[document.token])
    document.refresh_from_db()
    assert (document.status, document.progress, document.rows) == ("done", 100, 4)
    assert document.extension == "xlsx" and document.created_by == county_user
    page = client.get(response.url).content.decode()
    assert "下载 Excel" in page and 'value="100"' in page
    assert f'href="{url}?q=' in page  # back to the list with its filters
    rows = sheet_rows(downloaded(client, document))
    # The same rows, in the same order, as the page would have sent itself.
    settings.EXPORT_SYNC_MAX_ROWS = 100
    at_once = client.get(url, {"q": "后台导出", "ordering": "name", "export": "xlsx"})
    assert rows == sheet_rows(at_once.content)
    assert [row[0] for row in rows[1:]] == [f"后台导出{n:02d}公司" for n in range(4)]


def test_the_background_export_keeps_the_users_scope(
    client, demo, county_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    elsewhere = Organisation.objects.exclude(
        jurisdiction=county_user.organisation.jurisdiction
    ).first()
    client.force_login(county_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(ORGANISATIONS), {"export": "xlsx"})

    document = GeneratedDocument.objects.get()
    names = {row[0] for row in sheet_rows(downloaded(client, document))[1:]}
    assert "后台导出00公司" in names and elsewhere.name not in names
    # Another user never sees it, even with the token.
    client.force_login(demo["luoyang-city"])
    assert client.get(reverse("document-status", args=[document.token])).status_code == 404
    assert client.get(reverse("document-file", args=[document.token])).status_code == 404


# --- identical requests share one build ------------------------------------------------------


def test_the_same_export_asked_twice_while_it_is_built_is_one_document(
    client, demo, county_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    client.force_login(county_user)
    query = {"q": "后台导出", "export": "xlsx"}

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get(reverse(ORGANISATIONS), query)
        second = client.get(reverse(ORGANISATIONS), query)

    assert first.url == second.url
    assert GeneratedDocument.objects.count() == 1 and len(queued) == 1
    # Other filters, or another user's scope, are another document.
    with django_capture_on_commit_callbacks(execute=False):
        client.get(reverse(ORGANISATIONS), {"q": "后台导出0", "export": "xlsx"})
        client.force_login(demo["luoyang-city"])
        client.get(reverse(ORGANISATIONS), query)
    assert GeneratedDocument.objects.count() == 3


def test_two_rows_of_one_build_are_refused_by_the_database(county_user):
    key = documents.document_key("test", 1)
    first = documents.request_document(
        kind="test", key=key, title="t", params={}, rows=1, extension="xlsx"
    )
    again = documents.request_document(
        kind="test", key=key, title="t", params={}, rows=1, extension="xlsx"
    )
    assert again.pk == first.pk
    with pytest.raises(Exception):  # noqa: B017 (IntegrityError, whichever the database)
        GeneratedDocument.objects.create(token="x", key=key, kind="test", title="t")


# --- bad input ---------------------------------------------------------------------------------


def test_an_export_with_an_unknown_filter_is_refused_with_the_reason(client, county_user):
    client.force_login(county_user)
    url = reverse(ORGANISATIONS)

    response = client.get(url, {"q": "后台导出", "regoin": "410311", "export": "xlsx"})

    assert (
        response.status_code == 302
        and response.url == f"{url}?q=%E5%90%8E%E5%8F%B0%E5%AF%BC%E5%87%BA&regoin=410311"
    )
    [message] = list(get_messages(response.wsgi_request))
    assert "筛选条件“regoin”不存在" in str(message) and message.level_tag == "error"
    assert not GeneratedDocument.objects.exists()


def test_an_export_with_an_invalid_filter_value_is_refused_with_the_reason(client, county_user):
    client.force_login(county_user)

    response = client.get(reverse(ORGANISATIONS), {"kind": "no-such-kind", "export": "xlsx"})

    assert response.status_code == 302
    [message] = list(get_messages(response.wsgi_request))
    assert "无法导出：筛选条件有误" in str(message)


# --- a failed build: retried, then reported ---------------------------------------------------


@pytest.fixture
def flaky_builder():
    """A document kind whose build fails the first ``failures`` times."""
    calls = []

    def build(document, progress, folder):
        calls.append(document.pk)
        if len(calls) <= flaky.failures:
            raise OSError("disk full")
        path = f"{folder}/ok.xlsx"
        write_xlsx(path, title="t", columns=[Column("名称", lambda r: r)], rows=["甲"])
        return path

    class flaky:
        failures = 0

    flaky.calls = calls
    documents.register_builder("flaky", documents.Builder(build=build))
    yield flaky
    documents._builders.pop("flaky", None)


def request_flaky(captured):
    with captured(execute=True):
        return documents.request_document(
            kind="flaky",
            key=documents.document_key("flaky"),
            title="名单",
            params={},
            rows=1,
            extension="xlsx",
        )


def test_a_build_that_fails_once_is_retried_and_completes(
    flaky_builder, django_capture_on_commit_callbacks
):
    flaky_builder.failures = 1

    document = request_flaky(django_capture_on_commit_callbacks)

    document.refresh_from_db()
    assert len(flaky_builder.calls) == 2
    assert (document.status, document.attempts, document.error) == ("done", 1, "")
    assert document.file


def test_a_build_that_keeps_failing_is_reported_and_offers_no_file(
    client, flaky_builder, django_capture_on_commit_callbacks
):
    flaky_builder.failures = 99

    document = request_flaky(django_capture_on_commit_callbacks)

    document.refresh_from_db()
    assert len(flaky_builder.calls) == 1 + documents.MAX_RETRIES
    assert document.status == "failed" and document.attempts == 3
    assert "disk full" in document.error and not document.file
    page = client.get(reverse("document-status", args=[document.token])).content.decode()
    assert "生成失败（已尝试 3 次）" in page and "下载" not in page
    assert client.get(reverse("document-file", args=[document.token])).status_code == 404


# --- the workbook itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["=1+1", "+86 379 6390 0000", "-5", "@SUM(A1)", "=cmd|' /C calc'!A0"]
)
def test_cells_that_look_like_formulas_stay_text(tmp_path, text):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, title="t", columns=[Column("名称", lambda r: r)], rows=[text])

    cell = load_workbook(path).worksheets[0]["A2"]

    assert cell.value == text and cell.data_type == "s"


def test_chinese_text_dates_and_widths_round_trip(tmp_path):
    path = tmp_path / "名单.xlsx"
    row = {
        "name": "洛阳𠀀绿色制造（集团）有限公司",
        "number": "洛工信〔2026〕88号",
        "on": date(2026, 11, 27),
        "at": datetime(2026, 11, 27, 9, 30),
    }
    columns = [
        Column("单位名称", lambda r: r["name"], width=36),
        Column("文号", lambda r: r["number"], width=24),
        Column("发布日期", lambda r: r["on"], width=12),
        Column("发布时间", lambda r: r["at"]),
    ]

    written = write_xlsx(path, title="绿色制造名单", columns=columns, rows=[row, row])

    sheet = load_workbook(path).worksheets[0]
    assert written == 2 and sheet.title == "绿色制造名单"
    assert [cell.value for cell in sheet[1]] == ["单位名称", "文号", "发布日期", "发布时间"]
    assert [cell.value for cell in sheet[2]] == [
        row["name"],
        row["number"],
        datetime(2026, 11, 27),
        row["at"],
    ]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert int(sheet.column_dimensions["A"].width) == 36
    assert sheet.freeze_panes == "A2"
