"""申报批次 pages and API: the same rules as the services, refusals by URL, bounded queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Batch, BatchQuota
from greenmfg.directory.models import Jurisdiction
from tests.applications.helpers import city_batch
from tests.factories import BatchFactory, BatchQuotaFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

# 10:00 Beijing on a day 济南 第二十六条 (有效期至2027年7月) still covers a 2026 batch.
JINAN_IN_FORCE = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def form_data(**overrides) -> dict:
    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    data = {
        "title": "2026年度市级绿色制造名单申报",
        "year": "2026",
        "policy": "luoyang-2024",
        "unit_types": ["factory", "park"],
        "submission_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "paper_copy_deadline": (deadline.date() + timedelta(days=5)).isoformat(),
        "agency_report_deadline": "",
        "announcement": "请各县区组织企业申报。",
    }
    data.update(overrides)
    return data


def api_payload(**overrides) -> dict:
    data = {
        "title": "2026年度济南市绿色制造单位申报",
        "year": 2026,
        "policy": "jinan-2024",
        "unit_types": ["factory"],
        "submission_deadline": (timezone.now() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def quota_field(key: str) -> str:
    return f"quota_{Jurisdiction.objects.get(key=key).pk}"


# --- list -------------------------------------------------------------------------------------


def test_batch_list_page_shows_the_city_batch_to_its_county_only(client, demo):
    batch = city_batch(title="洛阳市2026年度绿色制造申报")
    client.force_login(demo["luoyang-county"])
    assert batch.title in client.get(reverse("applications:batch-list")).content.decode()
    client.force_login(demo["jinan-county"])
    assert batch.title not in client.get(reverse("applications:batch-list")).content.decode()


def test_batch_list_filters_and_sorts(client, demo):
    open_2026 = city_batch(title="二〇二六开放批次")
    closed_2025 = city_batch(title="二〇二五截止批次", year=2025, status="closed")
    client.force_login(demo["luoyang-city"])
    url = reverse("applications:batch-list")
    body = client.get(url, {"status": "closed"}).content.decode()
    assert closed_2025.title in body and open_2026.title not in body
    body = client.get(url, {"year": "2026", "policy": "luoyang-2024"}).content.decode()
    assert open_2026.title in body and closed_2025.title not in body
    body = client.get(url, {"ordering": "year"}).content.decode()
    assert body.index(closed_2025.title) < body.index(open_2026.title)
    api = client.get("/api/batches/", {"status": "open"}).json()
    assert [row["title"] for row in api["results"]] == [open_2026.title]


def test_batch_list_shows_create_button_only_to_authors(client, demo):
    client.force_login(demo["luoyang-city"])
    assert "新建批次" in client.get(reverse("applications:batch-list")).content.decode()
    client.force_login(demo["luoyang-county"])
    assert "新建批次" not in client.get(reverse("applications:batch-list")).content.decode()


# --- create and edit --------------------------------------------------------------------------


def test_batch_create_page_renders_checkboxes_and_date_inputs(client, demo):
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("applications:batch-create")).content.decode()
    assert 'type="checkbox"' in body and 'name="unit_types"' in body
    assert 'type="datetime-local"' in body and 'type="date"' in body
    assert "<legend>" in body


def test_batch_create_page_creates_a_draft(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.post(reverse("applications:batch-create"), form_data())
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("applications:batch-detail", args=[batch.pk])
    assert (batch.status, batch.unit_types) == ("draft", ["factory", "park"])


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-enterprise"])
def test_batch_create_page_refused_below_city(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("applications:batch-create")).status_code == 403
    assert client.post(reverse("applications:batch-create"), form_data()).status_code == 403
    assert not Batch.objects.exists()


def test_batch_create_page_shows_the_uncovered_type(client, demo):
    client.force_login(demo["jinan-city"])
    response = client.post(
        reverse("applications:batch-create"),
        form_data(policy="jinan-2024", unit_types=["factory", "design_product"]),
    )
    assert response.status_code == 200
    assert "不涵盖绿色设计产品" in response.content.decode()
    assert not Batch.objects.exists()


def test_batch_edit_page_locks_fields_once_open(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("applications:batch-edit", args=[batch.pk])).content.decode()
    assert 'name="title"' in body and "disabled" in body
    data = form_data(title="试图改名", announcement="新的通知")
    response = client.post(reverse("applications:batch-edit", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.title != "试图改名" and batch.announcement == "新的通知"


@pytest.mark.parametrize(
    ("username", "status"),
    [("luoyang-county", 403), ("henan", 403), ("jinan-city", 404)],
    ids=["county", "province", "other-city"],
)
def test_batch_edit_page_refused_for_other_bureaus(client, demo, username, status):
    batch = city_batch()
    client.force_login(demo[username])
    assert client.get(reverse("applications:batch-edit", args=[batch.pk])).status_code == status


# --- detail, quotas, workflow -----------------------------------------------------------------


def test_batch_detail_for_applicant_shows_notice_without_quotas(client, demo):
    batch = city_batch(announcement="请于五月底前提交材料。")
    client.force_login(demo["luoyang-enterprise"])
    url = reverse("applications:batch-detail", args=[batch.pk])
    response = client.get(url, {"tab": "announcement"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请于五月底前提交材料。" in body and "网上申报截止时间" in body
    assert "推荐名额" not in body and "操作留痕" not in body and "修改批次" not in body
    # The quotas tab is not offered: asked for, it shows the overview.
    body = client.get(url, {"tab": "quotas"}).content.decode()
    assert "推荐名额" not in body and 'id="overview-heading"' in body


@pytest.mark.parametrize(
    ("username", "batch_kwargs"),
    [
        ("luoyang-enterprise", {"status": "closed"}),
        ("luoyang-enterprise", {"status": "draft"}),
        ("jinan-enterprise", {}),
        ("jinan-county", {}),
        ("luoyang-county", {"status": "draft"}),
    ],
    ids=[
        "applicant-closed",
        "applicant-draft",
        "other-city-applicant",
        "other-city-county",
        "draft",
    ],
)
def test_batch_detail_out_of_sight_is_404(client, demo, username, batch_kwargs):
    batch = city_batch(**batch_kwargs)
    client.force_login(demo[username])
    assert client.get(reverse("applications:batch-detail", args=[batch.pk])).status_code == 404
    assert client.get(f"/api/batches/{batch.pk}/").status_code == 404


def test_batch_detail_for_county_shows_quotas_read_only(client, demo):
    batch = city_batch()
    BatchQuotaFactory(batch=batch, county=Jurisdiction.objects.get(key="410311"), quota=4)
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:batch-detail", args=[batch.pk])
    body = client.get(url, {"tab": "quotas"}).content.decode()
    assert "推荐名额" in body and "洛龙区" in body
    assert "保存推荐名额" not in body and 'name="action"' not in body
    assert "操作留痕" in client.get(url, {"tab": "audit"}).content.decode()


def test_batch_detail_for_its_bureau_has_quota_form_and_buttons(client, demo):
    batch = city_batch(status="draft")
    client.force_login(demo["luoyang-city"])
    url = reverse("applications:batch-detail", args=[batch.pk])
    body = client.get(url, {"tab": "quotas"}).content.decode()
    assert "保存推荐名额" in body and f'name="{quota_field("410311")}"' in body
    assert 'value="publish"' in body  # the next action is on every tab
    assert "操作留痕" in client.get(url, {"tab": "audit"}).content.decode()


def test_batch_quotas_page_saves_and_refuses_negative(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    url = reverse("applications:batch-quotas", args=[batch.pk])
    response = client.post(url, {quota_field("410311"): "3", quota_field("410307"): ""})
    assert response.status_code == 302
    assert list(batch.quotas.values_list("county__key", "quota")) == [("410311", 3)]
    response = client.post(url, {quota_field("410311"): "-2"})
    assert response.status_code == 400
    assert list(batch.quotas.values_list("quota", flat=True)) == [3]


def test_batch_quotas_page_refused_for_the_county(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:batch-quotas", args=[batch.pk])
    assert client.post(url, {quota_field("410311"): "9"}).status_code == 403
    assert not batch.quotas.exists()


def test_batch_transition_page_publishes_and_refuses_others(client, demo):
    open_batch = city_batch()
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:batch-transition", args=[open_batch.pk])
    assert client.post(url, {"action": "close"}).status_code == 403
    batch = city_batch(status="draft")
    url = reverse("applications:batch-transition", args=[batch.pk])
    assert client.post(url, {"action": "publish"}).status_code == 404  # a draft above: unseen
    client.force_login(demo["luoyang-city"])
    response = client.post(url, {"action": "publish"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == "open"
    assert "申报中" in response.content.decode()


def test_batch_transition_page_shows_the_refusal(client, demo):
    batch = city_batch(status="closed")
    client.force_login(demo["luoyang-city"])
    response = client.post(
        reverse("applications:batch-transition", args=[batch.pk]), {"action": "reopen"}, follow=True
    )
    assert "须填写理由" in response.content.decode()


# --- API --------------------------------------------------------------------------------------


def test_batch_api_create_transition_and_update(client, demo, time_machine):
    time_machine.move_to(JINAN_IN_FORCE)
    client.force_login(demo["jinan-city"])
    created = client.post("/api/batches/", api_payload(), content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    opened = client.post(
        f"/api/batches/{pk}/transition/", {"action": "publish"}, content_type="application/json"
    )
    assert opened.json()["status"] == "open"
    refused = client.patch(
        f"/api/batches/{pk}/", {"title": "新名称"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "只能修改截止时间" in refused.json()["detail"]
    changed = client.patch(
        f"/api/batches/{pk}/", {"announcement": "通知"}, content_type="application/json"
    )
    assert changed.json()["announcement"] == "通知"


def test_batch_api_refuses_design_products_for_jinan(client, demo):
    client.force_login(demo["jinan-city"])
    response = client.post(
        "/api/batches/",
        api_payload(unit_types=["factory", "design_product"]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "绿色设计产品" in " ".join(field_errors(response)["unit_types"])


def test_batch_api_create_refused_for_a_county(client, demo):
    client.force_login(demo["jinan-county"])
    response = client.post("/api/batches/", api_payload(), content_type="application/json")
    assert response.status_code == 403 and "市级及以上" in response.json()["detail"]


def test_batch_api_publish_with_past_deadline_is_refused(client, demo):
    batch = city_batch(status="draft", submission_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(demo["luoyang-city"])
    response = client.post(
        f"/api/batches/{batch.pk}/transition/",
        {"action": "publish"},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(field_errors(response)) == ["submission_deadline"]


def test_batch_api_quotas_get_and_put(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    url = f"/api/batches/{batch.pk}/quotas/"
    response = client.put(
        url,
        {
            "quotas": [
                {"jurisdiction": "410311", "quota": 2},
                {"jurisdiction": "410307", "quota": None},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    rows = {row["jurisdiction"]: row["quota"] for row in client.get(url).json()}
    assert rows["410311"] == 2 and rows["410307"] is None and "LY-HTZ" in rows
    refused = client.put(
        url,
        {"quotas": [{"jurisdiction": "370102", "quota": 1}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "直属下级区划" in " ".join(
        field_errors(refused)["quotas"]
    )
    negative = client.put(
        url, {"quotas": [{"jurisdiction": "410311", "quota": -1}]}, content_type="application/json"
    )
    assert negative.status_code == 400


@pytest.mark.parametrize(
    ("username", "method", "status"),
    [
        ("luoyang-county", "put", 403),
        ("luoyang-enterprise", "get", 403),
        ("jinan-city", "get", 404),
    ],
    ids=["county-put", "applicant-get", "other-city"],
)
def test_batch_api_quotas_refused(client, demo, username, method, status):
    batch = city_batch()
    client.force_login(demo[username])
    url = f"/api/batches/{batch.pk}/quotas/"
    body = {"quotas": [{"jurisdiction": "410311", "quota": 2}]}
    response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == status
    assert not batch.quotas.exists()


def test_batch_api_lists_what_the_applicant_may_apply_to(client, demo):
    here = city_batch()
    city_batch(status="closed")
    city_batch("370100", policy="jinan-2024")
    client.force_login(demo["luoyang-enterprise"])
    assert [row["id"] for row in client.get("/api/batches/").json()["results"]] == [here.pk]


# --- bounded queries --------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city", "luoyang-enterprise"])
def test_batch_list_queries_do_not_grow(client, demo, username, django_assert_max_num_queries):
    client.force_login(demo[username])
    BatchFactory.create_batch(5, year=2026)
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("applications:batch-list"))
    BatchFactory.create_batch(45, year=2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("applications:batch-list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/batches/").status_code == 200


def test_batch_detail_queries_do_not_grow_with_quotas(client, demo, django_assert_max_num_queries):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    url = reverse("applications:batch-detail", args=[batch.pk]) + "?tab=quotas"
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    children = Jurisdiction.objects.filter(parent=batch.jurisdiction)
    BatchQuota.objects.bulk_create(BatchQuota(batch=batch, county=c, quota=1) for c in children)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_batch_create_page_lets_the_sysadmin_name_the_bureau(client, demo, time_machine):
    time_machine.move_to(JINAN_IN_FORCE)
    authority = demo["jinan-city"].organisation
    client.force_login(demo["admin"])
    body = client.get(reverse("applications:batch-create")).content.decode()
    assert 'name="authority"' in body
    response = client.post(
        reverse("applications:batch-create"),
        form_data(authority=authority.pk, policy="jinan-2024", unit_types=["park"]),
    )
    assert response.status_code == 302
    assert Batch.objects.get().authority == authority
