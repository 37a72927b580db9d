"""专家库: city, province and national bureaus keep their own pool; pages and API alike.

This module also holds the arrangements the other expert test modules import: experts, pool
members, a recommended application, and the URL configuration that serves the expert pages and
routes until they are wired into greenmfg.urls (afterwards it is the project's own, unchanged).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from reviews.models import ExpertMembership
from reviews.selectors.expert import expert_pool
from reviews.services.expert import (
    expert_add,
    expert_deactivate,
    expert_reactivate,
    expert_update,
)
from tests.applications.helpers import city_batch
from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2026  # the year of tests.factories.BatchFactory's batches


# --- arrangements -----------------------------------------------------------------------------


def institute(name: str = "") -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.INSTITUTION,
        jurisdiction=Jurisdiction.objects.get(key="410300"),
        **({"name": name} if name else {}),
    )


def make_expert(name: str, *, organisation: Organisation | None = None, **kwargs):
    return UserFactory(
        role=Role.EXPERT, organisation=organisation or institute(), full_name=name, **kwargs
    )


def member(authority, expert, **overrides) -> ExpertMembership:
    data = {"field": "energy", "title": "高级工程师", "active_from": 2024, "active_until": None}
    data.update(overrides)
    return ExpertMembership.objects.create(authority=authority, expert=expert, **data)


def luoyang_bureau(demo) -> Organisation:
    return demo["luoyang-city"].organisation


def recommended(demo, *, batch=None, organisation=None, agency=None, status="recommended"):
    """An application the county has recommended to the 洛阳 city batch."""
    return ApplicationFactory(
        batch=batch or city_batch(),
        organisation=organisation or demo["luoyang-enterprise"].organisation,
        status=status,
        agency=agency,
        evaluation_mode="third_party" if agency else "self",
    )


def add(actor, expert, **overrides) -> ExpertMembership:
    data = {"field": "energy", "title": "教授", "active_from": 2025}
    data.update(overrides)
    return expert_add(actor=actor, expert=expert, **data)


# --- expert_add -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["luoyang-city", "henan", "nation"])
def test_expert_add_puts_the_expert_in_the_officials_own_pool(demo, username):
    official = demo[username]
    expert = demo["luoyang-expert"]
    membership = add(official, expert, active_until=2028)
    assert membership.authority == official.organisation and membership.is_active
    entry = audit_entries_for(subject=membership).get()
    assert entry.action == "create" and entry.data["to_label"] == "在库"
    assert Notification.objects.filter(recipient=expert, subject__contains="专家库").exists()


@pytest.mark.parametrize(
    "username", ["luoyang-county", "luoyang-expert", "luoyang-enterprise", "luoyang-agency"]
)
def test_expert_add_refused_to_who_keeps_no_pool(demo, username):
    with pytest.raises(NotPermitted, match="专家库由市、省、国家工信部门维护"):
        add(demo[username], demo["luoyang-expert"])
    assert not ExpertMembership.objects.exists()


def test_expert_add_refused_for_another_bureaus_pool(demo):
    with pytest.raises(NotPermitted, match="只能维护本部门的专家库"):
        add(demo["luoyang-city"], demo["luoyang-expert"], authority=demo["jinan-city"].organisation)


def test_sysadmin_names_a_city_province_or_national_bureau(demo):
    admin, expert = demo["admin"], demo["luoyang-expert"]
    with pytest.raises(ValidationError) as missing:
        add(admin, expert)
    assert "authority" in missing.value.message_dict
    with pytest.raises(ValidationError, match="不能建专家库"):
        add(admin, expert, authority=demo["luoyang-county"].organisation)
    membership = add(admin, expert, authority=demo["jinan-city"].organisation)
    assert membership.authority == demo["jinan-city"].organisation


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"active_from": 1999}, "active_from"),
        ({"active_from": 2026, "active_until": 2025}, "active_until"),
        ({"field": "astrology"}, "field"),
        ({"title": "  "}, "title"),
    ],
    ids=["year-too-early", "until-before-from", "unknown-field", "blank-title"],
)
def test_expert_add_validates_the_membership(demo, overrides, field):
    with pytest.raises(ValidationError) as refusal:
        add(demo["luoyang-city"], demo["luoyang-expert"], **overrides)
    assert field in refusal.value.message_dict


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-agency", "luoyang-city"])
def test_expert_add_refuses_an_account_that_is_not_an_expert(demo, username):
    with pytest.raises(ValidationError, match="不是评审专家"):
        add(demo["luoyang-city"], demo[username])


def test_expert_add_refuses_a_duplicate_and_points_to_reactivation(demo):
    city, expert = demo["luoyang-city"], demo["luoyang-expert"]
    membership = add(city, expert)
    expert_deactivate(membership=membership, actor=city, reason="退休")
    with pytest.raises(DomainError, match=r"已在「.*」专家库中.*恢复入库") as refusal:
        add(city, expert)
    assert (refusal.value.code, refusal.value.existing_id) == ("duplicate", membership.pk)
    # The same expert may sit in another authority's pool.
    assert add(demo["jinan-city"], expert).authority == demo["jinan-city"].organisation


# --- update, deactivate, reactivate -----------------------------------------------------------


def test_expert_update_changes_and_records_the_fields(demo):
    city = demo["luoyang-city"]
    membership = add(city, demo["luoyang-expert"])
    expert_update(membership=membership, actor=city, field="low_carbon", active_until=2030)
    membership.refresh_from_db()
    assert (membership.field, membership.active_until) == ("low_carbon", 2030)
    entry = audit_entries_for(subject=membership).filter(action="update").get()
    assert entry.data["changes"] == {
        "field": ["energy", "low_carbon"],
        "active_until": [None, 2030],
    }


def test_expert_update_refuses_bad_years_and_other_pools(demo):
    membership = add(demo["luoyang-city"], demo["luoyang-expert"])
    with pytest.raises(ValidationError, match="截止年度不能早于入库年度"):
        expert_update(membership=membership, actor=demo["luoyang-city"], active_until=2020)
    with pytest.raises(NotPermitted):
        expert_update(membership=membership, actor=demo["jinan-city"], title="研究员")
    membership.refresh_from_db()
    assert (membership.active_until, membership.title) == (None, "教授")


def test_deactivate_needs_a_reason_and_reactivate_restores(demo):
    city = demo["luoyang-city"]
    membership = add(city, demo["luoyang-expert"])
    with pytest.raises(DomainError, match="须填写理由"):
        expert_deactivate(membership=membership, actor=city, reason=" ")
    expert_deactivate(membership=membership, actor=city, reason="本人申请退出")
    membership.refresh_from_db()
    assert not membership.is_active
    with pytest.raises(DomainError, match="不能执行"):
        expert_deactivate(membership=membership, actor=city, reason="再次")
    expert_reactivate(membership=membership, actor=city)
    membership.refresh_from_db()
    assert membership.is_active
    labels = [
        (e.data["from_label"], e.data["to_label"])
        for e in audit_entries_for(subject=membership).exclude(action="create").order_by("id")
    ]
    assert labels == [("在库", "已移出"), ("已移出", "在库")]


def test_deactivate_refused_to_another_city(demo):
    membership = add(demo["luoyang-city"], demo["luoyang-expert"])
    with pytest.raises(NotPermitted):
        expert_deactivate(membership=membership, actor=demo["jinan-city"], reason="x")


# --- the pool selector ------------------------------------------------------------------------


def test_expert_pool_is_the_bureaus_own_and_everything_for_sysadmin(demo):
    ours = member(luoyang_bureau(demo), make_expert("洛阳专家"))
    theirs = member(demo["jinan-city"].organisation, make_expert("济南专家"))
    assert list(expert_pool(user=demo["luoyang-city"])) == [ours]
    assert set(expert_pool(user=demo["admin"])) == {ours, theirs}
    for username in ("luoyang-county", "luoyang-expert", "luoyang-enterprise"):
        assert not expert_pool(user=demo[username]).exists()


# --- pages ------------------------------------------------------------------------------------


def test_pool_list_page_shows_only_the_own_pool(client, demo):
    ours = member(luoyang_bureau(demo), make_expert("王洛阳"))
    member(demo["jinan-city"].organisation, make_expert("李济南"))
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("reviews:expert-pool-list")).content.decode()
    assert "王洛阳" in body and "李济南" not in body
    assert reverse("reviews:expert-update", args=[ours.pk]) in body


@pytest.mark.parametrize(
    "username", ["luoyang-county", "luoyang-expert", "luoyang-enterprise", "luoyang-env"]
)
def test_pool_pages_and_api_refused_to_who_keeps_no_pool(client, demo, username):
    membership = member(luoyang_bureau(demo), make_expert("王洛阳"))
    client.force_login(demo[username])
    assert client.get(reverse("reviews:expert-pool-list")).status_code == 403
    assert client.get(reverse("reviews:expert-create")).status_code == 403
    assert client.get(reverse("reviews:expert-update", args=[membership.pk])).status_code == 403
    assert (
        client.post(reverse("reviews:expert-deactivate", args=[membership.pk])).status_code == 403
    )
    assert client.get("/api/expert-pool/").status_code == 403
    assert (
        client.patch(
            f"/api/expert-pool/{membership.pk}/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_another_citys_member_is_not_found(client, demo):
    membership = member(luoyang_bureau(demo), make_expert("王洛阳"))
    client.force_login(demo["jinan-city"])
    assert client.get(reverse("reviews:expert-update", args=[membership.pk])).status_code == 404
    assert client.get(f"/api/expert-pool/{membership.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/expert-pool/{membership.pk}/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_pool_list_filters_searches_and_sorts(client, demo):
    bureau = luoyang_bureau(demo)
    energy = member(bureau, make_expert("张节能"), field="energy", active_from=2020)
    carbon = member(bureau, make_expert("赵低碳"), field="low_carbon", active_from=2025)
    gone = member(bureau, make_expert("钱退出"), field="energy", is_active=False)
    client.force_login(demo["luoyang-city"])
    url = reverse("reviews:expert-pool-list")
    cases = [
        ({"field": "low_carbon"}, {carbon}),
        ({"is_active": "false"}, {gone}),
        ({"is_active": "true", "field": "energy"}, {energy}),
        ({"q": "低碳"}, {carbon}),
        ({"q": "赵"}, {carbon}),
    ]
    for params, shown in cases:
        assert set(client.get(url, params).context["memberships"]) == shown, params
        api = client.get("/api/expert-pool/", params).json()
        assert {row["id"] for row in api["results"]} == {m.pk for m in shown}, params
    ordered = list(client.get(url, {"ordering": "-active_from"}).context["memberships"])
    assert ordered[0] == carbon and ordered[-1] == energy


def test_create_page_adds_and_shows_a_duplicate(client, demo):
    expert = demo["luoyang-expert"]
    client.force_login(demo["luoyang-city"])
    url = reverse("reviews:expert-create")
    assert expert.display_name in client.get(url).content.decode()
    data = {"expert": expert.pk, "field": "ecology", "title": "研究员", "active_from": 2025}
    response = client.post(url, data)
    assert response.status_code == 302
    membership = ExpertMembership.objects.get()
    assert (membership.authority, membership.field) == (luoyang_bureau(demo), "ecology")
    # Already in the pool: no longer offered, and a forged post is refused.
    again = client.post(url, data)
    assert again.status_code == 200 and ExpertMembership.objects.count() == 1


def test_create_page_for_sysadmin_asks_the_bureau(client, demo):
    client.force_login(demo["admin"])
    url = reverse("reviews:expert-create")
    assert "专家库所属部门" in client.get(url).content.decode()
    data = {
        "authority": demo["jinan-city"].organisation.pk,
        "expert": demo["jinan-expert"].pk,
        "field": "energy",
        "title": "教授",
        "active_from": 2025,
    }
    assert client.post(url, data).status_code == 302
    assert ExpertMembership.objects.get().authority == demo["jinan-city"].organisation


def test_edit_page_saves_deactivates_and_reactivates(client, demo):
    membership = member(luoyang_bureau(demo), make_expert("王洛阳"))
    client.force_login(demo["luoyang-city"])
    url = reverse("reviews:expert-update", args=[membership.pk])
    response = client.post(
        url, {"field": "finance", "title": "正高级会计师", "active_from": 2024, "active_until": ""}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.field, membership.title) == ("finance", "正高级会计师")
    client.post(reverse("reviews:expert-deactivate", args=[membership.pk]), {"reason": "调离"})
    membership.refresh_from_db()
    assert not membership.is_active
    body = client.get(url).content.decode()
    assert "已移出" in body and "调离" in body and "恢复入库" in body
    client.post(reverse("reviews:expert-reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


# --- API --------------------------------------------------------------------------------------


def test_api_creates_updates_and_deactivates(client, demo):
    client.force_login(demo["luoyang-city"])
    created = client.post(
        "/api/expert-pool/",
        {
            "expert": demo["luoyang-expert"].pk,
            "field": "energy",
            "title": "教授",
            "active_from": 2025,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["authority"] == luoyang_bureau(demo).pk
    patched = client.patch(
        f"/api/expert-pool/{pk}/", {"active_until": 2027}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["active_until"] == 2027
    refused = client.post(
        f"/api/expert-pool/{pk}/deactivate/", {"reason": ""}, content_type="application/json"
    )
    assert refused.status_code == 400
    done = client.post(
        f"/api/expert-pool/{pk}/deactivate/",
        {"reason": "任期届满"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["is_active"] is False
    duplicate = client.post(
        "/api/expert-pool/",
        {
            "expert": demo["luoyang-expert"].pk,
            "field": "energy",
            "title": "教授",
            "active_from": 2025,
        },
        content_type="application/json",
    )
    body = duplicate.json()
    assert (duplicate.status_code, body["code"]) == (409, "duplicate")
    assert body["existing_id"] == pk


# --- query bounds -----------------------------------------------------------------------------


def test_pool_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    bureau = luoyang_bureau(demo)
    for number in range(5):
        member(bureau, make_expert(f"专家{number:02d}"))
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as page:
        assert client.get(reverse("reviews:expert-pool-list")).status_code == 200
    with django_assert_max_num_queries(20) as api:
        assert client.get("/api/expert-pool/").status_code == 200
    for number in range(5, 50):
        member(bureau, make_expert(f"专家{number:02d}"))
    with django_assert_max_num_queries(len(page.captured_queries)):
        response = client.get(reverse("reviews:expert-pool-list"))
    assert len(response.context["memberships"]) == 25
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert client.get("/api/expert-pool/").json()["count"] == 50
