"""A batch runs only while its policy is in force: 洛阳 第二十六条 (有效期五年, to 2029-09-22),
济南 第二十六条 (有效期至2027年7月), 大连 (its 2022年度 round only).

Refused alike by the service, the form (nothing entered is lost) and the API (400 naming the
policy, its period and the article). Batches made before the check stay as they are.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Batch
from applications.services.batches import batch_create, batch_transition, batch_update
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError
from tests.applications.helpers import city_batch
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, tzinfo=BEIJING)
JINAN_2028 = "济南市绿色制造单位梯度培育及管理办法》自2024年7月起实施，有效期至2027年7月"


@pytest.fixture(autouse=True)
def pinned(time_machine):
    time_machine.move_to(NOW)


def at(year, month, day) -> datetime:
    return datetime(year, month, day, 17, tzinfo=BEIJING)


def new_batch(actor, **overrides) -> Batch:
    data = {
        "title": "2026年度绿色制造名单申报",
        "year": 2026,
        "policy": "luoyang-2024",
        "unit_types": ["factory"],
        "submission_deadline": NOW + timedelta(days=30),
    }
    data.update(overrides)
    return batch_create(actor=actor, **data)


# --- service ----------------------------------------------------------------------------------


def test_jinan_batch_of_2028_is_refused_naming_the_policy_period_and_article_26(demo):
    with pytest.raises(ValidationError) as refused:
        new_batch(
            demo["jinan-city"],
            policy="jinan-2024",
            year=2028,
            title="2028年度济南市绿色制造单位申报",
            submission_deadline=at(2028, 5, 31),
        )

    message = " ".join(refused.value.message_dict["policy"])
    assert JINAN_2028 in message
    assert "（第二十六条），不能据此创建2028年度批次。" in message
    assert not Batch.objects.exists()


def test_jinan_batch_due_after_july_2027_is_refused(demo):
    with pytest.raises(ValidationError) as refused:
        new_batch(
            demo["jinan-city"], policy="jinan-2024", year=2027, submission_deadline=at(2027, 8, 15)
        )

    assert "网上申报截止时间 2027-08-15 不在有效期" in refused.value.message_dict["policy"][0]


def test_jinan_batch_due_within_july_2027_is_created(demo):
    batch = new_batch(
        demo["jinan-city"], policy="jinan-2024", year=2027, submission_deadline=at(2027, 7, 15)
    )

    assert batch.status == Batch.Status.DRAFT and batch.policy == "jinan-2024"


def test_luoyang_batch_after_five_years_of_article_26_is_refused(demo):
    with pytest.raises(ValidationError) as refused:
        new_batch(demo["luoyang-city"], year=2030, submission_deadline=at(2030, 5, 31))

    message = refused.value.message_dict["policy"][0]
    assert "有效期五年，至2029年9月22日（第二十六条）" in message
    assert "2030年度" in message


def test_dalian_notice_refuses_a_batch_of_another_year(demo):
    with pytest.raises(ValidationError) as refused:
        new_batch(demo["dalian-city"], policy="dalian-2022-national", year=2026)

    message = refused.value.message_dict["policy"][0]
    assert "仅适用于2022年度国家绿色制造名单推荐工作" in message
    assert "第二十六条" not in message  # never another city's article


def test_dalian_2022_round_may_still_be_recorded_as_a_draft(demo):
    batch = new_batch(
        demo["dalian-city"],
        policy="dalian-2022-national",
        year=2022,
        title="2022年度国家绿色制造名单推荐",
        submission_deadline=at(2022, 10, 15),
    )

    assert batch.status == Batch.Status.DRAFT


def test_changing_a_draft_to_a_policy_out_of_its_period_is_refused(demo):
    batch = new_batch(demo["dalian-city"])

    with pytest.raises(ValidationError) as refused:
        batch_update(batch=batch, actor=demo["dalian-city"], policy="dalian-2022-national")

    assert "不能据此组织2026年度批次" in refused.value.message_dict["policy"][0]
    batch.refresh_from_db()
    assert batch.policy == "luoyang-2024"


def test_moving_the_deadline_past_the_period_is_refused(demo):
    batch = new_batch(demo["jinan-city"], policy="jinan-2024", year=2027)

    with pytest.raises(ValidationError):
        batch_update(batch=batch, actor=demo["jinan-city"], submission_deadline=at(2027, 9, 1))


def test_batch_made_before_the_check_stays_and_its_other_fields_can_change(demo):
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026, status="draft")

    batch_update(batch=legacy, actor=demo["dalian-city"], announcement="请按时申报。")

    legacy.refresh_from_db()
    assert legacy.announcement == "请按时申报。" and legacy.policy == "dalian-2022-national"


# --- form page --------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "title": "2028年度济南市绿色制造单位申报",
        "year": "2028",
        "policy": "jinan-2024",
        "unit_types": ["factory", "park"],
        "submission_deadline": "2028-05-31T17:00",
        "paper_copy_deadline": "2028-06-05",
        "agency_report_deadline": "",
        "announcement": "请各区县组织申报。",
    }
    data.update(overrides)
    return data


def test_batch_form_refuses_a_policy_out_of_its_period_keeping_what_was_entered(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.post(reverse("applications:batch-create"), form_data())

    body = response.content.decode()
    assert response.status_code == 200
    assert "不能据此创建2028年度批次" in body
    assert "2028年度济南市绿色制造单位申报" in body and "请各区县组织申报。" in body
    assert not Batch.objects.exists()


def test_batch_form_creates_a_batch_within_the_period(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.post(
        reverse("applications:batch-create"),
        form_data(
            title="2027年度济南市绿色制造单位申报",
            year="2027",
            submission_deadline="2027-06-30T17:00",
            paper_copy_deadline="2027-07-05",
        ),
    )

    batch = Batch.objects.get()
    assert response.status_code == 302 and batch.year == 2027


def test_batch_form_lists_each_policy_period(client, demo):
    client.force_login(demo["jinan-city"])

    body = client.get(reverse("applications:batch-create")).content.decode()

    assert "有效期至2027年7月" in body and "有效期五年" in body


def test_batch_page_shows_the_policy_period(client, demo):
    batch = city_batch("410300", policy="luoyang-2024", year=2026)
    client.force_login(demo["luoyang-city"])

    body = client.get(reverse("applications:batch-detail", args=[batch.pk])).content.decode()

    assert "政策有效期" in body
    assert "自2024年9月23日发布之日起实施，有效期五年，至2029年9月22日（第二十六条）" in body
    assert "本批次不在该政策有效期内" not in body


def test_batch_page_flags_a_batch_made_outside_its_policy_period(client, demo):
    batch = city_batch("210200", policy="dalian-2022-national", year=2026)
    client.force_login(demo["dalian-city"])

    body = client.get(reverse("applications:batch-detail", args=[batch.pk])).content.decode()

    assert "（通知一）" in body and "本批次不在该政策有效期内" in body


# --- API --------------------------------------------------------------------------------------


def api_payload(**overrides) -> dict:
    data = {
        "title": "2028年度济南市绿色制造单位申报",
        "year": 2028,
        "policy": "jinan-2024",
        "unit_types": ["factory"],
        "submission_deadline": at(2028, 5, 31).isoformat(),
    }
    data.update(overrides)
    return data


def test_batch_api_refuses_a_policy_out_of_its_period_with_400(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.post("/api/batches/", api_payload(), content_type="application/json")

    assert response.status_code == 400
    message = " ".join(field_errors(response)["policy"])
    assert JINAN_2028 in message and "（第二十六条）" in message


def test_batch_api_creates_a_batch_within_the_period(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.post(
        "/api/batches/",
        api_payload(year=2027, submission_deadline=at(2027, 6, 30).isoformat()),
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["year"] == 2027


def test_batch_api_refuses_changing_a_draft_to_a_policy_out_of_its_period(client, demo):
    batch = new_batch(demo["dalian-city"])
    client.force_login(demo["dalian-city"])

    response = client.patch(
        f"/api/batches/{batch.pk}/",
        {"policy": "dalian-2022-national"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "仅适用于2022年度" in " ".join(field_errors(response)["policy"])


# --- opening: 发布 and 重新开放 check the period again ----------------------------------------


def test_publishing_a_batch_outside_its_policy_period_is_refused_as_creating_it_is(demo):
    """大连: its 2022年度 round only. A 2026 batch made before the check cannot be published."""
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026, status="draft")

    with pytest.raises(DomainError) as refused:
        batch_transition(batch=legacy, action="publish", actor=demo["dalian-city"])

    assert refused.value.code == "policy_period" and refused.value.field == "policy"
    assert "仅适用于2022年度国家绿色制造名单推荐工作" in refused.value.message
    assert refused.value.message.endswith("不能据此发布2026年度批次。")
    legacy.refresh_from_db()
    assert legacy.status == Batch.Status.DRAFT
    assert not audit_entries_for(subject=legacy).filter(action="publish").exists()


def test_reopening_a_batch_due_after_the_period_is_refused_naming_article_26(demo):
    """济南 第二十六条: 有效期至2027年7月; a deadline of September 2027 is outside it."""
    legacy = city_batch(
        "370100",
        policy="jinan-2024",
        year=2027,
        status="closed",
        submission_deadline=at(2027, 9, 1),
    )

    with pytest.raises(DomainError) as refused:
        batch_transition(batch=legacy, action="reopen", actor=demo["jinan-city"], comment="补报")

    message = refused.value.message
    assert JINAN_2028.split("》")[1] in message and "（第二十六条）" in message
    assert "网上申报截止时间 2027-09-01 不在有效期（2024-07-01 至 2027-07-31）内" in message
    assert message.endswith("不能据此重新开放批次。")
    legacy.refresh_from_db()
    assert legacy.status == Batch.Status.CLOSED


def test_publishing_a_batch_within_its_policy_period_opens_it(demo):
    batch = new_batch(
        demo["jinan-city"], policy="jinan-2024", year=2027, submission_deadline=at(2027, 6, 30)
    )

    batch = batch_transition(batch=batch, action="publish", actor=demo["jinan-city"])

    assert batch.status == Batch.Status.OPEN


def test_closing_a_batch_outside_its_policy_period_is_still_allowed(demo):
    """Only the opening transitions are checked: a running batch can always be closed."""
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026)

    batch = batch_transition(batch=legacy, action="close", actor=demo["dalian-city"])

    assert batch.status == Batch.Status.CLOSED


def test_the_batch_page_shows_the_publish_refusal(client, demo):
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026, status="draft")
    client.force_login(demo["dalian-city"])

    response = client.post(
        reverse("applications:batch-transition", args=[legacy.pk]),
        {"action": "publish"},
        follow=True,
    )

    assert "不能据此发布2026年度批次" in response.content.decode()
    legacy.refresh_from_db()
    assert legacy.status == Batch.Status.DRAFT


def test_batch_api_publish_outside_the_period_answers_400_naming_the_policy(client, demo):
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026, status="draft")
    client.force_login(demo["dalian-city"])

    response = client.post(
        f"/api/batches/{legacy.pk}/transition/",
        {"action": "publish"},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "policy_period" and list(field_errors(response)) == ["policy"]
    assert "仅适用于2022年度" in body["detail"] and "（通知一）" in body["detail"]


# --- API: the batch carries its policy's period -----------------------------------------------


def test_batch_api_returns_the_policy_period_in_force_for_this_batch(client, demo):
    batch = city_batch("410300", policy="luoyang-2024", year=2026)
    client.force_login(demo["luoyang-city"])

    body = client.get(f"/api/batches/{batch.pk}/").json()

    assert body["policy_period"] == {
        "valid_from": "2024-09-23",
        "valid_until": "2029-09-22",
        "article": "第二十六条",
        "statement": "自2024年9月23日发布之日起实施，有效期五年，至2029年9月22日（第二十六条）",
        "in_force": True,
    }


def test_batch_api_flags_a_batch_outside_its_policy_period(client, demo):
    legacy = city_batch("210200", policy="dalian-2022-national", year=2026)
    client.force_login(demo["dalian-city"])

    listed = client.get("/api/batches/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    period = next(row for row in rows if row["id"] == legacy.pk)["policy_period"]

    assert period["in_force"] is False
    assert period["article"] == "一" and period["statement"].endswith("（通知一）")
    assert period["valid_until"].startswith("2022-")


def test_batch_api_policy_period_is_read_only(client, demo):
    batch = new_batch(demo["luoyang-city"])
    client.force_login(demo["luoyang-city"])

    response = client.patch(
        f"/api/batches/{batch.pk}/",
        {"announcement": "请按时申报。", "policy_period": {"in_force": False}},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["policy_period"]["in_force"] is True
