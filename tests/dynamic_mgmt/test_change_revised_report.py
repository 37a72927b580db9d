"""济南 第十六条: a major change of scope, address or organisation boundary is re-evaluated — the
unit 提交修正后的评价报告, the city reviews it, and only then is the change confirmed.

The unit uploads the revised evaluation report (a PDF, checked by its content) while the report
is 再评价中; each upload is a new version with its own SHA-256, and the files are served only to
the unit and the officials who handle the report. 洛阳 第十九条 asks for no such report."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from dynamic_mgmt.models import ChangeDocument, ChangeReport
from dynamic_mgmt.services import change as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from tests.applications.helpers import pdf_bytes, pdf_upload
from tests.dynamic_mgmt.dm_helpers import demo_listing, pinned_today

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
REVISED = ChangeDocument.Kind.REVISED_REPORT


def report(listing, actor, *, kind="address", attachment=None):
    return services.change_report_submit(
        listing=listing,
        actor=actor,
        kind=kind,
        old_value="历城区工业北路 1 号",
        new_value="章丘区明水经济开发区 8 号",
        formalities_on=D(2026, 11, 10),
        description="整体搬迁，已办理完相关手续。",
        attachment=attachment,
    )


def in_re_evaluation(demo, city="jinan", kind="address"):
    """A major change the county has reviewed and the city has sent to 再评价."""
    change = report(demo_listing(demo, city), demo[f"{city}-enterprise"], kind=kind)
    services.change_report_transition(
        report=change, action="county_review", actor=demo[f"{city}-county"], comment="初审属实"
    )
    return services.change_report_transition(
        report=change, action="re_evaluate", actor=demo[f"{city}-city"], comment="组织再评价"
    )


def upload(change, actor, file=None, kind=REVISED):
    return services.change_document_upload(
        report=change,
        actor=actor,
        kind=kind,
        uploaded_file=file or pdf_upload("修正后的评价报告.pdf"),
    )


# --- 确认变更 waits for the revised report ------------------------------------------------------


def test_a_jinan_address_change_is_not_confirmed_without_a_revised_report(demo, pinned_today):
    """济南 第十六条: 提交修正后的评价报告 — no report, no 确认变更, and the refusal says why."""
    change = in_re_evaluation(demo)

    with pytest.raises(DomainError) as refused:
        services.change_report_transition(report=change, action="approve", actor=demo["jinan-city"])

    assert refused.value.code == "revised_report_missing"
    assert "修正后的评价报告" in refused.value.message
    assert "济南 第十六条" in refused.value.message
    change.refresh_from_db()
    assert change.status == ChangeReport.Status.RE_EVALUATION
    offered = services.available_transitions(user=demo["jinan-city"], report=change, reviewed=True)
    assert [t.action for t in offered] == ["reject"]


def test_a_jinan_address_change_is_confirmed_after_the_unit_uploads_the_revised_report(
    demo, pinned_today
):
    change = in_re_evaluation(demo)
    document = upload(change, demo["jinan-enterprise"])

    done = services.change_report_transition(
        report=change, action="approve", actor=demo["jinan-city"], comment="再评价通过"
    )

    assert done.status == ChangeReport.Status.APPROVED
    approval = audit_entries_for(subject=done).filter(action="approve").get()
    assert approval.data["revised_report"] == {"version": 1, "sha256": document.sha256}


def test_the_revised_report_may_be_rejected_without_waiting_for_it(demo, pinned_today):
    """不再符合标准要求的按程序移出名单: refusing needs no revised report."""
    change = in_re_evaluation(demo)
    done = services.change_report_transition(
        report=change, action="reject", actor=demo["jinan-city"], comment="未提交修正报告"
    )
    assert done.status == ChangeReport.Status.REJECTED


@pytest.mark.parametrize("kind", ["name", "address"])
def test_luoyang_changes_need_no_revised_report(demo, pinned_today, kind):
    """洛阳 第十九条 asks for a report within a month, not for a revised evaluation report."""
    change = in_re_evaluation(demo, city="luoyang", kind=kind)
    assert not services.needs_revised_report(change)

    done = services.change_report_transition(
        report=change, action="approve", actor=demo["luoyang-city"]
    )

    assert done.status == ChangeReport.Status.APPROVED


# --- the upload ---------------------------------------------------------------------------------


def test_the_revised_report_is_stored_with_its_checksum(demo, pinned_today):
    change = in_re_evaluation(demo)
    content = pdf_bytes(3)

    document = upload(change, demo["jinan-enterprise"], SimpleUploadedFile("修正报告.pdf", content))

    assert (document.kind, document.number, document.pages) == (REVISED, 1, 3)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content) and document.original_name == "修正报告.pdf"
    # The stored name carries no user input.
    assert "修正报告" not in document.file.name and document.sha256 in document.file.name


def test_a_second_upload_is_version_2_with_its_own_checksum(demo, pinned_today):
    change = in_re_evaluation(demo)
    first = upload(change, demo["jinan-enterprise"], pdf_upload("v1.pdf", pages=1))
    second = upload(change, demo["jinan-enterprise"], pdf_upload("v2.pdf", pages=2))

    assert (first.number, second.number) == (1, 2)
    assert first.sha256 != second.sha256
    first.refresh_from_db()
    assert first.file.read() == pdf_bytes(1)  # never overwritten
    assert services.latest_revised_report(change) == second


@pytest.mark.parametrize(
    ("file", "words"),
    [
        pytest.param(SimpleUploadedFile("报告.pdf", b"just text, not a PDF"), "不是PDF", id="text"),
        pytest.param(SimpleUploadedFile("报告.jpg", b"\xff\xd8\xff\xe0 jpeg"), "不是PDF", id="jpg"),
        pytest.param(
            SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n garbage"), "不是完整有效", id="broken"
        ),
    ],
)
def test_a_revised_report_that_is_not_a_pdf_is_refused(demo, pinned_today, file, words):
    change = in_re_evaluation(demo)

    with pytest.raises(ValidationError) as refused:
        upload(change, demo["jinan-enterprise"], file)

    assert words in " ".join(refused.value.message_dict["file"]).replace(" ", "")
    assert not ChangeDocument.objects.exists()


def test_a_too_large_revised_report_is_refused(demo, pinned_today, monkeypatch):
    monkeypatch.setitem(services.DOCUMENT_CHECKS, REVISED, {"pdf_only": True, "max_bytes": 100})
    change = in_re_evaluation(demo)

    with pytest.raises(ValidationError, match="超过"):
        upload(change, demo["jinan-enterprise"])

    assert not ChangeDocument.objects.exists()


def test_the_revised_report_is_uploaded_only_while_re_evaluating(demo, pinned_today):
    change = report(demo_listing(demo, "jinan"), demo["jinan-enterprise"])
    with pytest.raises(DomainError, match="只有再评价中才能上传"):
        upload(change, demo["jinan-enterprise"])


def test_only_the_units_own_users_upload(demo, pinned_today):
    change = in_re_evaluation(demo)
    for username in ("jinan-city", "jinan-park"):
        with pytest.raises(NotPermitted):
            upload(change, demo[username])
    assert not ChangeDocument.objects.exists()


def test_supporting_material_may_come_with_the_report(demo, pinned_today):
    listing = demo_listing(demo, "jinan")
    change = report(listing, demo["jinan-enterprise"], attachment=pdf_upload("搬迁证明.pdf"))

    document = change.documents.get()
    assert (document.kind, document.number) == (ChangeDocument.Kind.SUPPORTING, 1)


def test_a_bad_supporting_file_refuses_the_report_and_keeps_nothing(demo, pinned_today):
    listing = demo_listing(demo, "jinan")
    with pytest.raises(ValidationError) as refused:
        report(listing, demo["jinan-enterprise"], attachment=SimpleUploadedFile("a.pdf", b"text"))
    assert "attachment" in refused.value.message_dict
    assert not ChangeReport.objects.exists() and not ChangeDocument.objects.exists()


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("jinan-enterprise", 200, id="the-unit"),
        pytest.param("jinan-county", 200, id="county-official"),
        pytest.param("jinan-city", 200, id="city-official"),
        pytest.param("luoyang-city", 404, id="another-citys-official"),
        pytest.param("jinan-park", 404, id="another-unit"),
    ],
)
def test_the_revised_report_is_served_only_to_the_unit_and_its_handlers(
    client, demo, pinned_today, username, status
):
    change = in_re_evaluation(demo)
    document = upload(change, demo["jinan-enterprise"])
    client.force_login(demo[username])

    response = client.get(reverse("dynamic_mgmt:change-document", args=[document.pk]))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]


# --- the page and the API -----------------------------------------------------------------------


def test_the_unit_uploads_on_the_report_page_and_sees_the_version(client, demo, pinned_today):
    change = in_re_evaluation(demo)
    client.force_login(demo["jinan-enterprise"])
    page = reverse("dynamic_mgmt:change-detail", args=[change.pk])
    before = client.get(page).content.decode()
    assert "待单位上传修正后的评价报告" in before and 'name="file"' in before

    response = client.post(
        reverse("dynamic_mgmt:change-document-upload", args=[change.pk]),
        {"kind": REVISED, "file": pdf_upload("修正后的评价报告.pdf")},
    )

    assert response.status_code == 302
    document = change.documents.get()
    after = client.get(page).content.decode()
    assert document.sha256 in after and "修正后的评价报告.pdf" in after and "v1" in after
    assert reverse("dynamic_mgmt:change-document", args=[document.pk]) in after
    assert "待单位上传修正后的评价报告" not in after


def test_a_non_pdf_on_the_page_comes_back_with_a_chinese_error(client, demo, pinned_today):
    change = in_re_evaluation(demo)
    client.force_login(demo["jinan-enterprise"])

    response = client.post(
        reverse("dynamic_mgmt:change-document-upload", args=[change.pk]),
        {"kind": REVISED, "file": SimpleUploadedFile("报告.pdf", b"not a pdf")},
    )

    assert response.status_code == 400
    assert "文件「报告.pdf」的内容不是PDF 文件" in response.content.decode()
    assert not ChangeDocument.objects.exists()


def test_officials_see_no_upload_form(client, demo, pinned_today):
    change = in_re_evaluation(demo)
    client.force_login(demo["jinan-city"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert 'name="file"' not in page
    response = client.post(
        reverse("dynamic_mgmt:change-document-upload", args=[change.pk]),
        {"kind": REVISED, "file": pdf_upload()},
    )
    assert response.status_code == 403


def test_the_api_lists_and_accepts_the_revised_report(demo, pinned_today):
    change = in_re_evaluation(demo)
    api = APIClient()
    api.force_authenticate(demo["jinan-enterprise"])
    url = f"/api/change-reports/{change.pk}/documents/"

    refused = api.post(url, {"file": SimpleUploadedFile("a.pdf", b"text")}, format="multipart")
    created = api.post(url, {"file": pdf_upload("修正报告.pdf")}, format="multipart")
    again = api.post(url, {"kind": REVISED, "file": pdf_upload(pages=2)}, format="multipart")

    assert refused.status_code == 400 and "PDF" in str(refused.json())
    assert created.status_code == 201 and created.json()["version"] == 1
    assert again.json()["version"] == 2
    api.force_authenticate(demo["jinan-city"])
    rows = api.get(url).json()
    assert [row["version"] for row in rows] == [2, 1]
    assert rows[1]["sha256"] == created.json()["sha256"] and rows[1]["kind"] == REVISED
    assert rows[0]["download_url"] == reverse(
        "dynamic_mgmt:change-document", args=[again.json()["id"]]
    )
    confirmed = api.post(
        f"/api/change-reports/{change.pk}/transition/", {"action": "approve"}, format="json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "approved"


def test_the_api_refuses_confirmation_without_the_revised_report(demo, pinned_today):
    change = in_re_evaluation(demo)
    api = APIClient()
    api.force_authenticate(demo["jinan-city"])

    response = api.post(
        f"/api/change-reports/{change.pk}/transition/", {"action": "approve"}, format="json"
    )

    assert response.status_code == 400 and "第十六条" in str(response.json())
