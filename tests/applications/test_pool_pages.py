"""培育库 pages, API and dashboard card: the county keeps, others look or are refused."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import CultivationCandidate
from applications.services.pool import candidate_add
from greenmfg.notifications.models import Notification
from tests.applications.helpers import city_batch, county
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

S = CultivationCandidate.Status
NEXT_YEAR = timezone.localdate().year + 1


def add(actor, organisation, unit_type="factory", **overrides) -> CultivationCandidate:
    data = {"target_unit_type": unit_type, "target_year": NEXT_YEAR, "plan": "节能改造计划"}
    data.update(overrides)
    return candidate_add(actor=actor, organisation=organisation, **data)


@pytest.fixture
def candidate(demo):
    return add(demo["luoyang-county"], demo["luoyang-enterprise"].organisation)


@pytest.fixture
def neighbour(demo):
    """A candidate of 偃师区, the other 洛阳 county."""
    return add(demo["luoyang-county2"], demo["luoyang-enterprise2"].organisation)


# --- list -------------------------------------------------------------------------------------


def test_pool_list_shows_the_countys_own_pool(client, demo, candidate, neighbour):
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("applications:pool-list")).content.decode()
    assert candidate.organisation.name in body
    assert neighbour.organisation.name not in body
    assert "纳入培育对象" in body


def test_pool_list_for_the_city_spans_counties_read_only(client, demo, candidate, neighbour):
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("applications:pool-list")).content.decode()
    assert candidate.organisation.name in body and neighbour.organisation.name in body
    assert reverse("applications:pool-create") not in body


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-expert"])
def test_pool_list_refused_to_non_officials(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("applications:pool-list")).status_code == 403
    assert client.get("/api/pool/").status_code == 403


def test_pool_list_filters_searches_and_sorts(client, demo, candidate):
    keeper = demo["luoyang-county"]
    park = add(
        keeper, demo["luoyang-park"].organisation, unit_type="park", target_year=NEXT_YEAR + 1
    )
    client.force_login(keeper)
    url = reverse("applications:pool-list")
    cases = [
        ({"target_unit_type": "park"}, park, candidate),
        ({"target_year": str(NEXT_YEAR)}, candidate, park),
        ({"q": candidate.organisation.credit_code.lower()}, candidate, park),
        ({"q": "产业园"}, park, candidate),
        ({"status": "cultivating", "target_unit_type": "factory"}, candidate, park),
    ]
    for params, shown, hidden in cases:
        body = client.get(url, params).content.decode()
        assert shown.organisation.name in body, params
        assert hidden.organisation.name not in body, params
    body = client.get(url, {"ordering": "-target_year"}).content.decode()
    assert body.index(park.organisation.name) < body.index(candidate.organisation.name)
    assert client.get(url, {"status": "withdrawn"}).context["candidates"].count() == 0
    api = client.get("/api/pool/", {"target_unit_type": "park"}).json()
    assert [row["id"] for row in api["results"]] == [park.pk]


# --- add and edit -----------------------------------------------------------------------------


def test_pool_create_page_offers_only_the_countys_active_units(client, demo):
    pending = OrganisationFactory(jurisdiction=county("410311"), status="pending")
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("applications:pool-create")).content.decode()
    assert demo["luoyang-enterprise"].organisation.name in body
    assert demo["luoyang-park"].organisation.name in body
    assert demo["luoyang-enterprise2"].organisation.name not in body
    assert pending.name not in body


def test_pool_create_page_adds_and_refuses_a_duplicate(client, demo):
    client.force_login(demo["luoyang-county"])
    organisation = demo["luoyang-enterprise"].organisation
    data = {
        "organisation": organisation.pk,
        "target_unit_type": "factory",
        "target_year": NEXT_YEAR,
        "plan": "三年内达到绿色工厂标准",
    }
    response = client.post(reverse("applications:pool-create"), data)
    candidate = CultivationCandidate.objects.get()
    assert response.url == reverse("applications:pool-detail", args=[candidate.pk])
    again = client.post(reverse("applications:pool-create"), data)
    assert again.status_code == 200 and "不能重复纳入" in again.content.decode()
    assert CultivationCandidate.objects.count() == 1


def test_pool_create_page_refuses_an_enterprise_of_another_county(client, demo):
    client.force_login(demo["luoyang-county2"])
    response = client.post(
        reverse("applications:pool-create"),
        {
            "organisation": demo["luoyang-enterprise"].organisation.pk,
            "target_unit_type": "factory",
            "target_year": NEXT_YEAR,
            "plan": "x",
        },
    )
    assert response.status_code == 200
    assert not CultivationCandidate.objects.exists()


@pytest.mark.parametrize("username", ["luoyang-city", "henan"])
def test_pool_create_page_refused_above_county(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("applications:pool-create")).status_code == 403


def test_pool_edit_page_saves_the_plan(client, demo, candidate):
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:pool-edit", args=[candidate.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"target_unit_type": "factory", "target_year": NEXT_YEAR, "plan": "修订后的计划"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.plan == "修订后的计划"


@pytest.mark.parametrize(
    ("username", "status"),
    [("luoyang-city", 403), ("luoyang-county2", 404), ("luoyang-enterprise", 403)],
    ids=["city", "other-county", "applicant"],
)
def test_pool_edit_page_refused(client, demo, candidate, username, status):
    client.force_login(demo[username])
    assert client.get(reverse("applications:pool-edit", args=[candidate.pk])).status_code == status


# --- detail, workflow, invitation -------------------------------------------------------------


def test_pool_detail_shows_plan_trail_buttons_and_fitting_batches(client, demo, candidate):
    fitting = city_batch(title="洛阳2026受理工厂", unit_types=["factory"])
    unfit = city_batch(title="洛阳2026只收园区", unit_types=["park"])
    closed = city_batch(title="洛阳2026已截止", status="closed")
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("applications:pool-detail", args=[candidate.pk])).content.decode()
    assert "节能改造计划" in body and "操作留痕" in body and "纳入培育库" in body
    assert 'value="withdraw"' in body and "邀请申报" in body
    assert fitting.title in body
    assert unfit.title not in body and closed.title not in body


def test_pool_detail_for_the_city_has_no_buttons(client, demo, candidate):
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("applications:pool-detail", args=[candidate.pk])).content.decode()
    assert candidate.organisation.name in body
    assert 'name="action"' not in body and "pool-invite" not in body


def test_pool_pages_of_another_county_are_404(client, demo, candidate):
    client.force_login(demo["luoyang-county2"])
    for name in ("pool-detail", "pool-transition", "pool-invite"):
        url = reverse(f"applications:{name}", args=[candidate.pk])
        response = client.get(url) if name == "pool-detail" else client.post(url, {"action": "x"})
        assert response.status_code == 404, name


def test_pool_transition_page_withdraws_with_a_reason(client, demo, candidate):
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:pool-transition", args=[candidate.pk])
    response = client.post(url, {"action": "withdraw"}, follow=True)
    assert "须填写理由" in response.content.decode()
    client.post(url, {"action": "withdraw", "comment": "企业关停"})
    candidate.refresh_from_db()
    assert candidate.status == S.WITHDRAWN


def test_pool_transition_page_refuses_the_city(client, demo, candidate):
    client.force_login(demo["luoyang-city"])
    response = client.post(
        reverse("applications:pool-transition", args=[candidate.pk]),
        {"action": "withdraw", "comment": "x"},
        follow=True,
    )
    assert "县（区）工信部门维护" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == S.CULTIVATING


def test_pool_invite_page_invites_and_notifies(client, demo, candidate):
    batch = city_batch()
    client.force_login(demo["luoyang-county"])
    client.post(
        reverse("applications:pool-invite", args=[candidate.pk]),
        {"batch": batch.pk, "comment": "欢迎申报"},
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.invited_batch) == (S.INVITED, batch)
    notice = Notification.objects.get(recipient=demo["luoyang-enterprise"])
    assert f"batch={batch.pk}" in notice.link and "unit_type=factory" in notice.link


def test_pool_invite_page_explains_a_closed_batch(client, demo, candidate):
    batch = city_batch(status="closed")
    client.force_login(demo["luoyang-county"])
    response = client.post(
        reverse("applications:pool-invite", args=[candidate.pk]), {"batch": batch.pk}, follow=True
    )
    assert "只能邀请申报中的批次" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == S.CULTIVATING


# --- API --------------------------------------------------------------------------------------


def test_pool_api_create_update_transition_invite(client, demo):
    client.force_login(demo["luoyang-county"])
    organisation = demo["luoyang-enterprise"].organisation
    created = client.post(
        "/api/pool/",
        {
            "organisation": organisation.pk,
            "target_unit_type": "factory",
            "target_year": NEXT_YEAR,
            "plan": "计划",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["county"] == "410311"
    duplicate = client.post(
        "/api/pool/",
        {
            "organisation": organisation.pk,
            "target_unit_type": "factory",
            "target_year": NEXT_YEAR,
            "plan": "计划",
        },
        content_type="application/json",
    )
    assert duplicate.status_code == 409 and "不能重复纳入" in duplicate.json()["detail"]
    assert duplicate.json()["existing_id"] == pk
    patched = client.patch(f"/api/pool/{pk}/", {"notes": "备注"}, content_type="application/json")
    assert patched.json()["notes"] == "备注"
    invited = client.post(
        f"/api/pool/{pk}/invite/", {"batch": city_batch().pk}, content_type="application/json"
    )
    assert invited.json()["status"] == "invited"
    back = client.post(
        f"/api/pool/{pk}/transition/",
        {"action": "cancel_invitation"},
        content_type="application/json",
    )
    assert back.json()["status"] == "cultivating"


def test_pool_api_invite_refuses_a_batch_not_accepting_the_type(client, demo, candidate):
    client.force_login(demo["luoyang-county"])
    batch = city_batch(unit_types=["park"])
    response = client.post(
        f"/api/pool/{candidate.pk}/invite/", {"batch": batch.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "不受理绿色工厂" in response.json()["detail"]


def test_pool_api_refuses_another_countys_official(client, demo, candidate):
    client.force_login(demo["luoyang-county2"])
    assert client.get(f"/api/pool/{candidate.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/pool/{candidate.pk}/transition/",
            {"action": "withdraw", "comment": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert candidate.pk not in [row["id"] for row in client.get("/api/pool/").json()["results"]]
    created = client.post(
        "/api/pool/",
        {
            "organisation": candidate.organisation.pk,
            "target_unit_type": "supply_chain",
            "target_year": NEXT_YEAR,
            "plan": "x",
        },
        content_type="application/json",
    )
    assert created.status_code == 403 and "不在本县（区）" in created.json()["detail"]


def test_pool_api_city_reads_but_cannot_change(client, demo, candidate):
    client.force_login(demo["luoyang-city"])
    assert client.get(f"/api/pool/{candidate.pk}/").status_code == 200
    response = client.patch(
        f"/api/pool/{candidate.pk}/", {"plan": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


# --- dashboard card ---------------------------------------------------------------------------


def test_pool_panel_on_county_dashboard_counts_and_offers_add(client, demo, candidate):
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("dashboard")).content.decode()
    assert "培育库" in body
    assert f"{reverse('applications:pool-list')}?status=cultivating" in body
    assert reverse("applications:pool-create") in body


def test_pool_panel_on_city_dashboard_counts_subtree_without_add(
    client, demo, candidate, neighbour
):
    client.force_login(demo["luoyang-city"])
    response = client.get(reverse("dashboard"))
    body = response.content.decode()
    assert "辖区内各县（区）培育库合计" in body
    assert reverse("applications:pool-create") not in body
    assert '培育库 <span class="badge">2</span>' in body


def test_pool_panel_renders_nothing_for_applicants(demo):
    from applications.templatetags.pool_tags import pool_panel

    assert pool_panel(demo["luoyang-enterprise"]) == {"show": False}


# --- bounded queries --------------------------------------------------------------------------


def _fill(keeper, count: int) -> None:
    for _ in range(count):
        organisation = OrganisationFactory(jurisdiction=county("410311"))
        add(keeper, organisation)


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city"])
def test_pool_list_queries_do_not_grow(client, demo, username, django_assert_max_num_queries):
    keeper = demo["luoyang-county"]
    _fill(keeper, 5)
    client.force_login(demo[username])
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("applications:pool-list"))
    _fill(keeper, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("applications:pool-list")).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/pool/").status_code == 200
