"""批量办理 API: the same services and permissions as the pages, one result per id."""

import pytest

from applications.models import Application
from greenmfg.audit.selectors import audit_entries_for
from tests.problems import field_errors
from tests.reviews.test_bulk_actions import (  # noqa: F401 (fixtures, used by name)
    boundary_template,
    candidates,
    decisions,
    pool_of_three,
    statuses,
)
from tests.reviews.test_expert_pool import recommended

pytestmark = pytest.mark.django_db

S = Application.Status


def post(client, action, applications, comment=""):
    return client.post(
        f"/api/bulk/{action}/",
        {"applications": applications, "comment": comment},
        content_type="application/json",
    )


def test_api_recommends_in_rank_order_and_reports_the_quota(client, demo):
    c = candidates(demo, quota=2)
    client.force_login(c.county)

    response = post(client, "recommend", [c.factory.pk, c.chain.pk, c.park.pk])

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["succeeded"], body["failed"]) == (2, 1)
    assert [(r["application"], r["ok"]) for r in body["results"]] == [
        (c.park.pk, True),
        (c.chain.pk, True),
        (c.factory.pk, False),
    ]
    assert body["results"][0]["message"] == "成功"
    assert body["results"][0]["status"] == "recommended"
    assert "名额已满" in body["results"][2]["message"]
    for application in (c.park, c.chain):
        assert audit_entries_for(subject=application).filter(action="recommend").exists()


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-enterprise", "luoyang-expert"])
def test_api_recommend_refused_to_other_roles(client, demo, username):
    c = candidates(demo)
    client.force_login(demo[username])
    response = post(client, "recommend", [c.park.pk])
    assert response.status_code == 403 and "县（区）工信部门" in response.json()["detail"]
    assert statuses(c.park) == [S.COUNTY_REVIEW]


def test_api_another_county_gets_a_refusal_per_id(client, demo):
    c = candidates(demo)
    client.force_login(demo["luoyang-county2"])
    response = post(client, "recommend", [c.park.pk, 999999])
    assert response.status_code == 200
    assert [r["ok"] for r in response.json()["results"]] == [False, False]
    assert statuses(c.park) == [S.COUNTY_REVIEW]


def test_api_validates_the_payload(client, demo):
    client.force_login(demo["luoyang-county"])
    assert post(client, "recommend", []).status_code == 400
    assert post(client, "recommend", ["x"]).status_code == 400
    client.logout()
    assert post(client, "recommend", [1]).status_code in (401, 403)


def test_api_starts_expert_review_with_automatic_panels(client, demo):
    pool_of_three(demo)
    application = recommended(demo)
    client.force_login(demo["luoyang-city"])

    response = post(client, "start-expert-review", [application.pk])

    result = response.json()["results"][0]
    assert result["ok"] and result["status"] == "expert_review"
    assert "自动分配 3 名专家" in result["detail"]
    assert audit_entries_for(subject=application).filter(action="start_expert_review").exists()


@pytest.mark.parametrize(("username", "status"), [("luoyang-county", 403), ("jinan-city", 200)])
def test_api_start_refused_outside_the_authority(client, demo, username, status):
    pool_of_three(demo)
    application = recommended(demo)
    client.force_login(demo[username])
    response = post(client, "start-expert-review", [application.pk])
    assert response.status_code == status
    if status == 200:
        assert response.json()["results"][0]["ok"] is False
    assert statuses(application) == [S.RECOMMENDED]


def test_api_decides_pass_and_fail(client, demo, decisions):  # noqa: F811
    c = decisions
    client.force_login(demo["luoyang-city"])

    passed = post(client, "decide-pass", [c.good.pk, c.poor.pk]).json()
    assert [r["ok"] for r in passed["results"]] == [True, False]
    assert passed["results"][1]["reasons"] == ["平均得分 65.00 分，未达到 80 分（含）"]

    refused = post(client, "decide-fail", [c.poor.pk])
    assert refused.status_code == 400 and "comment" in field_errors(refused)
    failed = post(client, "decide-fail", [c.poor.pk, c.good.pk], comment="未达到入选要求").json()
    assert [r["ok"] for r in failed["results"]] == [True, False]
    assert "不能执行「评审不通过」" in failed["results"][1]["message"]
    assert statuses(c.good, c.poor) == [S.PASSED, S.FAILED]


def test_api_decide_refused_to_a_county(client, demo, decisions):  # noqa: F811
    client.force_login(demo["luoyang-county"])
    assert post(client, "decide-pass", [decisions.good.pk]).status_code == 403
    assert post(client, "decide-fail", [decisions.good.pk], comment="x").status_code == 403


def test_bulk_endpoints_are_in_the_schema(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for action in ("recommend", "start-expert-review", "decide-pass", "decide-fail"):
        assert f"/api/v1/bulk/{action}/" in paths
