"""Every demo role has its own dashboard, and it costs a bounded number of queries."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "nation": "国家工信部门",
    "henan": "省工信部门",
    "luoyang-city": "市工信部门",
    "luoyang-county": "县（区）工信部门",
    "luoyang-env": "征求意见部门",
    "luoyang-enterprise": "企业/园区申报人",
    "luoyang-park": "企业/园区申报人",
    "luoyang-agency": "第三方评价机构人员",
    "luoyang-expert": "评审专家",
    "admin": "系统管理员",
}


@pytest.mark.parametrize(("username", "label"), ROLES.items(), ids=list(ROLES))
def test_each_role_sees_its_dashboard(client, demo, username, label):
    user = demo[username]
    client.force_login(user)
    body = client.get(reverse("dashboard")).content.decode()
    assert label in body
    if user.organisation:
        assert user.organisation.name in body


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_city_dashboard_lists_its_counties(client, demo):
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("dashboard")).content.decode()
    assert "洛龙区" in body and "洛阳高新技术产业开发区" in body and "历下区" not in body


@pytest.mark.parametrize(
    "username", ["luoyang-county", "luoyang-city", "nation", "luoyang-enterprise"]
)
def test_dashboard_queries_do_not_grow_with_data(
    client, demo, username, django_assert_max_num_queries
):
    client.force_login(demo[username])
    county = demo["luoyang-county"].organisation.jurisdiction
    OrganisationFactory.create_batch(5, jurisdiction=county, status="pending")
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("dashboard"))
    OrganisationFactory.create_batch(50, jurisdiction=county, status="pending")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard"))


def test_organisation_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    client.force_login(demo["luoyang-city"])
    county = demo["luoyang-county"].organisation.jurisdiction
    OrganisationFactory.create_batch(5, jurisdiction=county)
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("directory:organisation-list"))
    OrganisationFactory.create_batch(50, jurisdiction=county)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("directory:organisation-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/organisations/")


def test_organisation_list_filters_and_sorts(client, demo):
    client.force_login(demo["luoyang-city"])
    enterprise = demo["luoyang-enterprise"].organisation
    body = client.get(
        reverse("directory:organisation-list"), {"q": enterprise.credit_code}
    ).content.decode()
    assert enterprise.name in body and demo["luoyang-park"].organisation.name not in body
    body = client.get(
        reverse("directory:organisation-list"), {"kind": "park", "ordering": "-name"}
    ).content.decode()
    assert demo["luoyang-park"].organisation.name in body and enterprise.name not in body
    api = client.get("/api/organisations/", {"jurisdiction": "410307"}).json()
    assert {row["jurisdiction"] for row in api["results"]} == {"410307"}
