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
from applications.services.batches import batch_create, batch_update
from tests.applications.helpers import city_batch

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
    message = " ".join(response.json()["policy"])
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
    assert "仅适用于2022年度" in " ".join(response.json()["policy"])
