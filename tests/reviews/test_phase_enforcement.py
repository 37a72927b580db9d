"""The batch's phase switches and deadlines hold wherever the step is asked for.

接收推荐 and 推荐截止时间 stop the county's recommendation; 专家评分截止日期 stops a sheet's
submission after that (local) day; 申报单位可修改退回的申报 stops saving and resubmitting a
returned application.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.models import Application, Batch
from applications.services.applications import application_save_draft, application_transition
from greenmfg.core.errors import DomainError
from reviews.models import ScoreSheet
from reviews.services.phase import batch_update_review_settings
from reviews.services.sheet import sheet_open, sheet_save, sheet_submit
from tests.applications.test_submission import ready_application
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def set_settings(demo, batch, **changes):
    """Through the command, as the city bureau that opened the batch."""
    return batch_update_review_settings(batch=batch, actor=demo["luoyang-city"], **changes)


# --- 接收推荐 and 推荐截止时间 ---


@pytest.fixture
def recommendable(demo):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    return application, county


def test_closed_recommendations_refuse_the_countys_recommendation(demo, recommendable):
    application, county = recommendable
    set_settings(demo, application.batch, recommendations_open=False)

    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="recommend", actor=county)

    assert f"批次「{application.batch.title}」已停止接收推荐。" in refusal.value.reasons
    assert Application.objects.get(pk=application.pk).status == "county_review"


def test_a_passed_recommendation_deadline_is_named_in_local_time(demo, recommendable):
    application, county = recommendable
    # 17:00 in 北京时间 is 09:00 UTC: the message must show the local time.
    deadline = datetime(2025, 7, 31, 17, 0, tzinfo=SHANGHAI)
    Batch.objects.filter(pk=application.batch_id).update(recommendation_deadline=deadline)

    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="recommend", actor=county)

    assert (
        f"批次「{application.batch.title}」的推荐截止时间（2025-07-31 17:00）已过，不能再推荐。"
        in refusal.value.reasons
    )
    assert Application.objects.get(pk=application.pk).status == "county_review"


def test_the_page_shows_a_late_recommendations_reason(client, demo, recommendable):
    application, county = recommendable
    Batch.objects.filter(pk=application.batch_id).update(
        recommendation_deadline=datetime(2025, 7, 31, 17, 0, tzinfo=SHANGHAI)
    )
    client.force_login(county)

    response = client.post(
        f"/applications/{application.pk}/transition/", {"action": "recommend"}, follow=True
    )

    assert "推荐截止时间（2025-07-31 17:00）已过，不能再推荐" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "county_review"


def test_recommendation_is_accepted_before_the_deadline(demo, recommendable):
    application, county = recommendable
    set_settings(
        demo, application.batch, recommendation_deadline=timezone.now() + timedelta(days=1)
    )

    application = application_transition(application=application, action="recommend", actor=county)

    assert application.status == Application.Status.RECOMMENDED


def test_reopening_recommendations_lets_the_county_recommend_again(demo, recommendable):
    application, county = recommendable
    set_settings(demo, application.batch, recommendations_open=False)
    with pytest.raises(DomainError):
        application_transition(application=application, action="recommend", actor=county)

    set_settings(demo, application.batch, recommendations_open=True)
    application = application_transition(application=application, action="recommend", actor=county)

    assert application.status == Application.Status.RECOMMENDED


# --- 专家评分截止日期 ---


@pytest.fixture
def filled_sheet(demo, boundary_template):  # noqa: F811 (the imported fixture)
    application, [assignment] = boundary_application(demo, experts=1)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    sheet, problems = sheet_save(
        sheet=sheet,
        actor=expert,
        answers={"basic.legal": {"met": True}},
        entries={"all.score": {"points": "86"}},
    )
    assert problems == []
    return application, sheet, expert


def test_submission_after_the_scoring_deadline_is_refused_naming_the_date(demo, filled_sheet):
    application, sheet, expert = filled_sheet
    yesterday = timezone.localdate() - timedelta(days=1)
    Batch.objects.filter(pk=application.batch_id).update(scoring_deadline=yesterday)

    with pytest.raises(DomainError) as refusal:
        sheet_submit(sheet=sheet, actor=expert)

    assert refusal.value.code == "scoring_deadline_passed"
    assert refusal.value.message == (
        f"批次「{application.batch.title}」的专家评分已于 {yesterday:%Y-%m-%d} 截止，"
        "不能再提交评分。"
    )
    assert ScoreSheet.objects.get(pk=sheet.pk).status == ScoreSheet.Status.DRAFT
    # Only the submission closes: the draft is still kept as the expert types.
    sheet, problems = sheet_save(sheet=sheet, actor=expert, comment="逾期未提交")
    assert problems == [] and sheet.comment == "逾期未提交"


def test_the_whole_day_of_the_scoring_deadline_is_still_open(demo, filled_sheet):
    application, sheet, expert = filled_sheet
    set_settings(demo, application.batch, scoring_deadline=timezone.localdate())

    sheet = sheet_submit(sheet=sheet, actor=expert)

    assert sheet.status == ScoreSheet.Status.SUBMITTED


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        # 23:59 in 北京时间 on the deadline: 15:59 UTC, the same date either way.
        (datetime(2026, 3, 10, 23, 59, tzinfo=SHANGHAI), True),
        # 00:30 in 北京时间 the day after is still 16:30 UTC on the deadline: the local date counts.
        (datetime(2026, 3, 11, 0, 30, tzinfo=SHANGHAI), False),
    ],
    ids=["last-minute", "just-after-local-midnight"],
)
def test_the_scoring_deadline_is_judged_on_the_local_date(
    demo, filled_sheet, monkeypatch, moment, allowed
):
    application, sheet, expert = filled_sheet
    Batch.objects.filter(pk=application.batch_id).update(scoring_deadline="2026-03-10")
    monkeypatch.setattr(timezone, "now", lambda: moment)

    if allowed:
        assert sheet_submit(sheet=sheet, actor=expert).status == ScoreSheet.Status.SUBMITTED
    else:
        with pytest.raises(DomainError, match="已于 2026-03-10 截止"):
            sheet_submit(sheet=sheet, actor=expert)


def test_the_sheet_api_refuses_a_late_submission(client, demo, filled_sheet):
    application, sheet, expert = filled_sheet
    yesterday = timezone.localdate() - timedelta(days=1)
    Batch.objects.filter(pk=application.batch_id).update(scoring_deadline=yesterday)
    client.force_login(expert)

    response = client.post(f"/api/sheets/{sheet.pk}/submit/")

    assert response.status_code == 400
    assert response.json()["code"] == "scoring_deadline_passed"
    assert f"{yesterday:%Y-%m-%d}" in response.json()["detail"]


# --- 申报单位可修改退回的申报 ---


@pytest.fixture
def returned(demo):
    application, applicant = ready_application(demo)
    application_transition(application=application, action="submit", actor=applicant)
    application_transition(
        application=application,
        action="return",
        actor=demo["luoyang-county"],
        comment="请补充能效证明",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    return application, applicant


def test_with_revisions_closed_a_returned_application_cannot_be_saved_or_resubmitted(
    demo, returned
):
    application, applicant = returned
    set_settings(demo, application.batch, applicants_may_edit=False)
    title = application.batch.title

    with pytest.raises(DomainError, match=f"批次「{title}」已停止修改退回的申报") as refusal:
        application_save_draft(application=application, actor=applicant, industry="有色金属")
    assert refusal.value.code == "revisions_closed"
    with pytest.raises(DomainError, match="已停止修改退回的申报") as refusal:
        application_transition(application=application, action="submit", actor=applicant)
    assert refusal.value.code == "revisions_closed"

    application = Application.objects.get(pk=application.pk)
    assert application.status == Application.Status.RETURNED
    assert application.industry != "有色金属"


def test_with_revisions_closed_the_pages_and_the_api_refuse_too(client, demo, returned):
    application, applicant = returned
    set_settings(demo, application.batch, applicants_may_edit=False)
    client.force_login(applicant)

    response = client.post(
        f"/applications/{application.pk}/edit/", {"action": "submit", "evaluation_mode": "self"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/"
    response = client.patch(
        f"/api/applications/{application.pk}/",
        {"industry": "有色金属"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "revisions_closed"
    response = client.post(f"/api/applications/{application.pk}/submit/")
    assert response.status_code == 400 and response.json()["code"] == "revisions_closed"

    application = Application.objects.get(pk=application.pk)
    assert application.status == Application.Status.RETURNED
    assert application.industry != "有色金属"


def test_with_revisions_open_a_returned_application_is_saved_and_resubmitted(demo, returned):
    application, applicant = returned
    set_settings(demo, application.batch, applicants_may_edit=False)
    set_settings(demo, application.batch, applicants_may_edit=True)

    application, errors = application_save_draft(
        application=application, actor=applicant, industry="有色金属"
    )
    assert errors == {} and application.industry == "有色金属"
    application = application_transition(application=application, action="submit", actor=applicant)

    assert application.status == Application.Status.SUBMITTED
