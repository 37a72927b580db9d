"""评审设置: the batch's bureau edits the review phases; every value is judged with its message."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Batch
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from reviews.services.phase import batch_update_review_settings
from tests.applications.helpers import city_batch
from tests.problems import field_errors
from tests.reviews.test_sheets import (
    BOUNDARY,
    boundary_application,
    boundary_template,  # noqa: F401 (fixture)
    submit_scores,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def trail(batch):
    return AuditEntry.objects.filter(
        content_type__model="batch", object_id=str(batch.pk), action="update_review_settings"
    )


def refused(batch, actor, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as refusal:
        batch_update_review_settings(batch=batch, actor=actor, **changes)
    return refusal.value


# --- The command ---


def test_the_authority_changes_every_setting_and_the_trail_keeps_before_and_after(demo):
    batch = city_batch()
    city = demo["luoyang-city"]
    deadline = timezone.localdate() + timedelta(days=30)
    recommend_by = datetime.combine(
        timezone.localdate() + timedelta(days=10), datetime.min.time(), SHANGHAI
    ).replace(hour=17)

    batch_update_review_settings(
        batch=batch,
        actor=city,
        scoring_templates={"factory": "green-factory@2018", "park": ""},
        experts_per_application=5,
        aggregation="trimmed_mean",
        scoring_open=False,
        experts_see_others=True,
        applicants_may_edit=False,
        recommendations_open=False,
        recommendation_deadline=recommend_by,
        scoring_deadline=deadline,
        publicity_days=15,
    )

    batch = Batch.objects.get(pk=batch.pk)
    assert batch.scoring_templates == {"factory": "green-factory@2018"}  # "" is the default
    assert (batch.experts_per_application, batch.aggregation) == (5, "trimmed_mean")
    assert not batch.scoring_open and batch.experts_see_others
    assert not batch.applicants_may_edit and not batch.recommendations_open
    assert batch.recommendation_deadline == recommend_by
    assert (batch.scoring_deadline, batch.publicity_days) == (deadline, 15)
    [entry] = trail(batch)
    assert entry.actor == city and entry.action_label == "修改评审设置"
    changes = entry.data["changes"]
    assert changes["experts_per_application"] == [3, 5]
    assert changes["scoring_templates"] == [{}, {"factory": "green-factory@2018"}]
    assert changes["scoring_open"] == [True, False]
    assert changes["publicity_days"] == [7, 15]
    assert changes["scoring_deadline"] == [None, deadline.isoformat()]
    assert changes["recommendation_deadline"][1].startswith(
        recommend_by.strftime("%Y-%m-%dT17:00:00")
    )
    assert "每项申报专家人数：3→5" in entry.comment
    assert f"推荐截止时间：未设→{recommend_by:%Y-%m-%d} 17:00" in entry.comment


def test_only_changed_fields_are_recorded_and_no_change_records_nothing(demo):
    batch = city_batch()
    city = demo["luoyang-city"]

    batch_update_review_settings(
        batch=batch, actor=city, experts_per_application=3, aggregation="mean", publicity_days=7
    )
    assert not trail(batch).exists()

    batch_update_review_settings(
        batch=batch, actor=city, experts_per_application=3, publicity_days=10
    )
    [entry] = trail(batch)
    assert entry.data["changes"] == {"publicity_days": [7, 10]}


def test_an_administrator_may_change_the_settings(demo):
    batch = city_batch()

    batch_update_review_settings(batch=batch, actor=demo["admin"], scoring_open=False)

    assert Batch.objects.get(pk=batch.pk).scoring_open is False


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "henan", "jinan-city", "luoyang-enterprise", "luoyang-expert"],
    ids=["county", "province", "other-city", "applicant", "expert"],
)
def test_only_the_batchs_own_bureau_may_change_the_settings(demo, username):
    batch = city_batch()

    with pytest.raises(NotPermitted, match=r"评审设置由批次组织单位「.*」修改"):
        batch_update_review_settings(batch=batch, actor=demo[username], publicity_days=15)

    assert Batch.objects.get(pk=batch.pk).publicity_days == 7
    assert not trail(batch).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"scoring_templates": {"factory": "green-factory@1999"}},
            "scoring_templates",
            "绿色工厂的评分模板「green-factory@1999」不存在，可选：green-factory@2018、green-factory@2025。",
        ),
        (
            {"scoring_templates": {"factory": "green-park@2016"}},
            "scoring_templates",
            "评分模板「green-park@2016」用于绿色工业园区，不能用于绿色工厂",
        ),
        (
            {"scoring_templates": {"design_product": "green-design@2025"}},
            "scoring_templates",
            "绿色设计产品尚无评分模板，不能设置「green-design@2025」。",
        ),
        (
            {"scoring_templates": {"shop": "green-factory@2025"}},
            "scoring_templates",
            "未知的申报类型：shop。",
        ),
        (
            {"scoring_templates": "green-factory@2025"},
            "scoring_templates",
            "评分模板须为“申报类型 → 模板”的对应关系。",
        ),
        ({"experts_per_application": 0}, "experts_per_application", "须为 1 至 15 之间的整数"),
        ({"experts_per_application": 16}, "experts_per_application", "须为 1 至 15 之间的整数"),
        ({"experts_per_application": True}, "experts_per_application", "须为 1 至 15 之间的整数"),
        ({"aggregation": "median"}, "aggregation", "得分计算方式须为「算术平均」、「去掉最高分"),
        (
            {"aggregation": "trimmed_mean", "experts_per_application": 2},
            "aggregation",
            "「去掉最高分和最低分后平均」至少需要 3 位专家，每项申报专家人数为 2。",
        ),
        ({"publicity_days": 0}, "publicity_days", "公示期须为 1 至 60 天。"),
        ({"publicity_days": 61}, "publicity_days", "公示期须为 1 至 60 天。"),
        ({"scoring_open": "yes"}, "scoring_open", "「专家评分开放」须为是或否。"),
        ({"recommendations_open": None}, "recommendations_open", "「接收推荐」须为是或否。"),
        (
            {"scoring_deadline": "2030-01-01"},
            "scoring_deadline",
            "请填写有效的专家评分截止日期。",
        ),
        (
            {"recommendation_deadline": "2030-01-01 17:00"},
            "recommendation_deadline",
            "请填写有效的推荐截止时间。",
        ),
    ],
    ids=[
        "unknown-template",
        "template-of-another-type",
        "type-without-templates",
        "unknown-unit-type",
        "templates-not-a-mapping",
        "no-experts",
        "too-many-experts",
        "experts-not-a-number",
        "unknown-aggregation",
        "trimmed-mean-needs-three",
        "publicity-too-short",
        "publicity-too-long",
        "switch-not-a-boolean",
        "switch-none",
        "date-not-a-date",
        "deadline-not-a-datetime",
    ],
)
def test_bad_values_are_refused_with_their_message(demo, changes, field, message):
    batch = city_batch()

    error = refused(batch, demo["luoyang-city"], **changes)

    assert any(message in text for text in error.message_dict[field]), error.message_dict
    stored = Batch.objects.get(pk=batch.pk)
    assert (stored.scoring_templates, stored.experts_per_application) == ({}, 3)
    assert not trail(batch).exists()


def test_a_template_for_a_type_the_batch_does_not_accept_is_refused(demo):
    batch = city_batch(unit_types=["factory"])

    error = refused(batch, demo["luoyang-city"], scoring_templates={"park": "green-park@2016"})

    assert error.message_dict["scoring_templates"] == [
        "本批次不受理绿色工业园区，不能为其设置评分模板（受理类型：绿色工厂）。"
    ]


def test_lowering_the_experts_below_three_under_a_trimmed_mean_names_the_experts_field(demo):
    batch = city_batch(aggregation="trimmed_mean")

    error = refused(batch, demo["luoyang-city"], experts_per_application=2)

    assert "至少需要 3 位专家" in error.message_dict["experts_per_application"][0]


def test_every_bad_value_is_reported_at_once(demo):
    batch = city_batch()

    error = refused(
        batch, demo["luoyang-city"], experts_per_application=99, publicity_days=0, aggregation="x"
    )

    assert set(error.message_dict) == {"experts_per_application", "publicity_days", "aggregation"}


def test_scoring_deadline_may_be_today_but_not_in_the_past(demo):
    batch = city_batch()
    city = demo["luoyang-city"]
    today = timezone.localdate()

    error = refused(batch, city, scoring_deadline=today - timedelta(days=1))
    yesterday = today - timedelta(days=1)
    assert error.message_dict["scoring_deadline"] == [
        f"专家评分截止日期（{yesterday:%Y-%m-%d}）不能早于今天（{today:%Y-%m-%d}）。"
    ]

    batch_update_review_settings(batch=batch, actor=city, scoring_deadline=today)
    assert Batch.objects.get(pk=batch.pk).scoring_deadline == today


def test_a_past_scoring_deadline_already_stored_does_not_block_other_changes(demo):
    yesterday = timezone.localdate() - timedelta(days=1)
    batch = city_batch(scoring_deadline=yesterday)

    batch_update_review_settings(batch=batch, actor=demo["luoyang-city"], publicity_days=15)

    assert Batch.objects.get(pk=batch.pk).publicity_days == 15


def test_recommendation_deadline_must_lie_ahead_and_before_the_end_of_scoring(demo):
    batch = city_batch()
    city = demo["luoyang-city"]
    past = timezone.now() - timedelta(hours=1)

    error = refused(batch, city, recommendation_deadline=past)
    assert (
        "不能早于当前时间；如需停止推荐，请关闭“接收推荐”"
        in (error.message_dict["recommendation_deadline"][0])
    )

    scoring_ends = timezone.localdate() + timedelta(days=5)
    too_late = datetime.combine(scoring_ends + timedelta(days=1), datetime.min.time(), SHANGHAI)
    error = refused(
        batch, city, scoring_deadline=scoring_ends, recommendation_deadline=too_late.replace(hour=9)
    )
    assert error.message_dict["recommendation_deadline"] == [
        f"推荐截止时间（{too_late:%Y-%m-%d} 09:00）"
        f"不能晚于专家评分截止日期（{scoring_ends:%Y-%m-%d}）。"
    ]

    # The last minute of the scoring deadline's day is still fine.
    same_day = datetime.combine(scoring_ends, datetime.min.time(), SHANGHAI).replace(
        hour=23, minute=59
    )
    batch_update_review_settings(
        batch=batch, actor=city, scoring_deadline=scoring_ends, recommendation_deadline=same_day
    )
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.recommendation_deadline == same_day

    # Moving only the scoring deadline before the recommendations close names its own field.
    error = refused(batch, city, scoring_deadline=scoring_ends - timedelta(days=1))
    assert "不能晚于专家评分截止日期" in error.message_dict["scoring_deadline"][0]


def test_clearing_the_deadlines_is_allowed(demo):
    batch = city_batch(
        scoring_deadline=timezone.localdate() + timedelta(days=3),
        recommendation_deadline=timezone.now() + timedelta(days=1),
    )

    batch_update_review_settings(
        batch=batch, actor=demo["luoyang-city"], scoring_deadline=None, recommendation_deadline=None
    )

    batch = Batch.objects.get(pk=batch.pk)
    assert batch.scoring_deadline is None and batch.recommendation_deadline is None


@pytest.mark.usefixtures("boundary_template")
def test_template_and_panel_size_are_fixed_once_a_sheet_is_submitted(demo):
    application, assignments = boundary_application(demo, experts=3)
    submit_scores(assignments[:2], [85, 90])
    batch = application.batch
    city = demo["luoyang-city"]

    for changes, field in [
        ({"experts_per_application": 5}, "experts_per_application"),
        ({"scoring_templates": {"factory": "green-factory@2025"}}, "scoring_templates"),
    ]:
        with pytest.raises(DomainError) as refusal:
            batch_update_review_settings(batch=batch, actor=city, **changes)
        assert refusal.value.code == "scoring_started" and refusal.value.field == field
        assert refusal.value.message.startswith("本批次已有 2 份评分表提交，不能再修改")

    # The phase switches stay editable, and the same template may be sent again.
    batch_update_review_settings(
        batch=batch,
        actor=city,
        scoring_templates={"factory": BOUNDARY.key},
        experts_per_application=3,
        scoring_open=False,
        aggregation="trimmed_mean",
    )
    batch = Batch.objects.get(pk=batch.pk)
    assert (batch.scoring_open, batch.aggregation) == (False, "trimmed_mean")


# --- The page ---


def settings_url(batch) -> str:
    return f"/reviews/batches/{batch.pk}/settings/"


def form_data(batch, **overrides) -> dict:
    data = {
        "experts_per_application": batch.experts_per_application,
        "aggregation": batch.aggregation,
        "publicity_days": batch.publicity_days,
        "scoring_deadline": "",
        "recommendation_deadline": "",
        "template__factory": "",
        "template__park": "",
        "template__supply_chain": "",
        "template__design_product": "",
    }
    for switch in ("scoring_open", "experts_see_others", "recommendations_open"):
        if getattr(batch, switch):
            data[switch] = "on"
    if batch.applicants_may_edit:
        data["applicants_may_edit"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_detail_page_links_the_settings_for_the_bureau_and_shows_them_to_officials(
    client, demo
):
    batch = city_batch(scoring_deadline=timezone.localdate() + timedelta(days=9))
    link = settings_url(batch)

    client.force_login(demo["luoyang-city"])
    page = client.get(f"/batches/{batch.pk}/?tab=settings").content.decode()
    assert link in page and "评审设置" in page

    client.force_login(demo["luoyang-county"])
    page = client.get(f"/batches/{batch.pk}/?tab=settings").content.decode()
    assert link not in page
    assert "专家评分截止日期" in page and f"{batch.scoring_deadline:%Y-%m-%d}" in page

    client.force_login(demo["luoyang-enterprise"])
    page = client.get(f"/batches/{batch.pk}/?tab=settings").content.decode()
    assert link not in page and "专家评分截止日期" not in page


def test_the_page_saves_the_settings(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    deadline = timezone.localdate() + timedelta(days=20)

    page = client.get(settings_url(batch))
    assert page.status_code == 200
    assert "绿色工厂评价（GB/T 36132-2018）（green-factory@2018）" in page.content.decode()

    response = client.post(
        settings_url(batch),
        form_data(
            batch,
            template__factory="green-factory@2018",
            experts_per_application=5,
            scoring_open=None,
            scoring_deadline=deadline.isoformat(),
            recommendation_deadline=f"{deadline - timedelta(days=3):%Y-%m-%d}T17:30",
            publicity_days=15,
        ),
    )

    assert (
        response.status_code == 302 and response["Location"] == f"/batches/{batch.pk}/?tab=settings"
    )
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.scoring_templates == {"factory": "green-factory@2018"}
    assert (batch.experts_per_application, batch.publicity_days) == (5, 15)
    assert batch.scoring_open is False and batch.scoring_deadline == deadline
    local = timezone.localtime(batch.recommendation_deadline)
    assert (local.date(), local.hour, local.minute) == (deadline - timedelta(days=3), 17, 30)
    assert trail(batch).count() == 1


def test_errors_are_shown_next_to_their_fields_and_nothing_typed_is_lost(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        settings_url(batch),
        form_data(
            batch,
            template__park="green-park@2016",
            experts_per_application=20,
            publicity_days=0,
            scoring_deadline=yesterday.isoformat(),
            experts_see_others="on",
        ),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "须为 1 至 15 之间的整数" in form.errors["experts_per_application"][0]
    assert form.errors["publicity_days"] == ["公示期须为 1 至 60 天。"]
    assert "不能早于今天" in form.errors["scoring_deadline"][0]
    body = response.content.decode()
    assert 'value="20"' in body and 'value="0"' in body
    assert f'value="{yesterday:%Y-%m-%d}"' in body
    assert 'value="green-park@2016" selected' in body
    assert Batch.objects.get(pk=batch.pk).experts_per_application == 3
    assert not trail(batch).exists()


def test_the_page_sends_only_what_was_changed(client, demo):
    """A passed deadline stored with seconds, shown to the minute, is not "changed" (and
    refused as past) when the official only edits another field."""
    passed = datetime(2025, 7, 31, 17, 0, 42, tzinfo=SHANGHAI)
    batch = city_batch(recommendation_deadline=passed)
    client.force_login(demo["luoyang-city"])

    response = client.post(
        settings_url(batch),
        form_data(batch, recommendation_deadline="2025-07-31T17:00", publicity_days=15),
    )

    assert response.status_code == 302
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.recommendation_deadline == passed and batch.publicity_days == 15
    assert trail(batch).get().data["changes"] == {"publicity_days": [7, 15]}


def test_the_page_refuses_a_trimmed_mean_for_two_experts_on_the_aggregation_field(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])

    response = client.post(
        settings_url(batch),
        form_data(batch, aggregation="trimmed_mean", experts_per_application=2),
    )

    assert response.status_code == 400
    assert "至少需要 3 位专家" in response.context["form"].errors["aggregation"][0]


@pytest.mark.usefixtures("boundary_template")
def test_the_page_locks_template_and_panel_size_once_a_sheet_is_submitted(client, demo):
    application, assignments = boundary_application(demo, experts=1)
    submit_scores(assignments, [88])
    batch = application.batch
    client.force_login(demo["luoyang-city"])

    page = client.get(settings_url(batch)).content.decode()
    assert "本批次已有 1 份评分表提交" in page
    form = client.get(settings_url(batch)).context["form"]
    assert form.fields["experts_per_application"].disabled
    assert form.fields["template__factory"].disabled

    response = client.post(
        settings_url(batch), form_data(batch, experts_per_application=9, publicity_days=15)
    )

    assert response.status_code == 302
    batch = Batch.objects.get(pk=batch.pk)
    assert (batch.experts_per_application, batch.publicity_days) == (3, 15)
    assert batch.scoring_templates == {"factory": BOUNDARY.key}


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("luoyang-county", 403),
        ("henan", 403),
        ("luoyang-enterprise", 403),
        ("jinan-city", 404),
        ("luoyang-expert", 404),
    ],
    ids=["county", "province", "applicant", "other-city", "expert"],
)
def test_the_page_is_refused_to_everyone_but_the_bureau(client, demo, username, status):
    batch = city_batch()
    client.force_login(demo[username])

    assert client.get(settings_url(batch)).status_code == status
    assert client.post(settings_url(batch), form_data(batch, publicity_days=30)).status_code == (
        status
    )
    assert Batch.objects.get(pk=batch.pk).publicity_days == 7


def test_the_page_needs_a_login(client, demo):
    batch = city_batch()

    response = client.get(settings_url(batch))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The API ---


def api_url(batch) -> str:
    return f"/api/batches/{batch.pk}/review-settings/"


def test_api_reads_the_settings(client, demo):
    batch = city_batch(scoring_templates={"factory": "green-factory@2018"})
    client.force_login(demo["luoyang-city"])

    body = client.get(api_url(batch)).json()

    assert body["batch"] == batch.pk
    assert body["scoring_templates"] == {"factory": "green-factory@2018"}
    assert body["available_templates"]["factory"] == ["green-factory@2018", "green-factory@2025"]
    assert body["available_templates"]["design_product"] == []
    assert body["experts_per_application"] == 3 and body["aggregation"] == "mean"
    assert body["accepts_recommendations"] is True and body["submitted_sheets"] == 0
    assert body["scoring_deadline"] is None and body["publicity_days"] == 7


def test_api_changes_the_settings(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    deadline = timezone.localdate() + timedelta(days=12)

    response = client.patch(
        api_url(batch),
        {
            "experts_per_application": 4,
            "recommendations_open": False,
            "scoring_deadline": deadline.isoformat(),
            "scoring_templates": {"supply_chain": "green-supply-chain@2016"},
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["experts_per_application"] == 4 and body["recommendations_open"] is False
    assert body["accepts_recommendations"] is False
    assert body["scoring_deadline"] == deadline.isoformat()
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.scoring_templates == {"supply_chain": "green-supply-chain@2016"}
    assert set(trail(batch).get().data["changes"]) == {
        "experts_per_application",
        "recommendations_open",
        "scoring_deadline",
        "scoring_templates",
    }


def test_api_refuses_bad_values_with_the_services_message(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])

    response = client.patch(
        api_url(batch),
        {"publicity_days": 90, "scoring_templates": {"factory": "green-factory@1999"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = field_errors(response)
    assert errors["publicity_days"] == ["公示期须为 1 至 60 天。"]
    assert "green-factory@1999" in errors["scoring_templates"][0]
    assert Batch.objects.get(pk=batch.pk).publicity_days == 7


@pytest.mark.usefixtures("boundary_template")
def test_api_refuses_a_template_change_after_scoring_started(client, demo):
    application, assignments = boundary_application(demo, experts=1)
    submit_scores(assignments, [88])
    client.force_login(demo["luoyang-city"])

    response = client.patch(
        api_url(application.batch),
        {"scoring_templates": {"factory": "green-factory@2025"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "scoring_started"
    assert list(field_errors(response)) == ["scoring_templates"]
    assert "已有 1 份评分表提交" in body["detail"]
    assert client.get(api_url(application.batch)).json()["submitted_sheets"] == 1


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("luoyang-county", 403),
        ("henan", 403),
        ("luoyang-enterprise", 403),
        ("jinan-city", 404),
        ("luoyang-expert", 404),
    ],
    ids=["county", "province", "applicant", "other-city", "expert"],
)
def test_api_is_refused_to_everyone_but_the_bureau(client, demo, username, status):
    batch = city_batch()
    client.force_login(demo[username])

    assert client.get(api_url(batch)).status_code == status
    response = client.patch(api_url(batch), {"publicity_days": 30}, content_type="application/json")
    assert response.status_code == status
    if status == 403:
        assert "评审设置由批次组织单位" in response.json()["detail"]
    assert Batch.objects.get(pk=batch.pk).publicity_days == 7


def test_api_root_still_lists_the_batches(client, demo):
    client.force_login(demo["luoyang-city"])

    root = client.get("/api/").json()

    assert root["batches"].endswith("/api/batches/")
