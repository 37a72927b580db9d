"""Each user sees only their own jurisdiction's records, on the pages and through the API."""

import pytest
from django.urls import reverse

from greenmfg.directory.models import Organisation

pytestmark = pytest.mark.django_db


def enterprise_of(demo, username):
    return demo[username].organisation


def test_county_official_cannot_open_another_countys_organisation_page(client, demo):
    other = enterprise_of(demo, "luoyang-enterprise2")  # 偃师区, not 洛龙区
    client.force_login(demo["luoyang-county"])
    response = client.get(reverse("directory:organisation-detail", args=[other.pk]))
    assert response.status_code == 404


def test_county_official_cannot_read_another_countys_organisation_by_api(client, demo):
    other = enterprise_of(demo, "luoyang-enterprise2")
    client.force_login(demo["luoyang-county"])
    assert client.get(f"/api/organisations/{other.pk}/").status_code == 404
    names = [
        row["name"] for row in client.get("/api/organisations/?page_size=500").json()["results"]
    ]
    assert other.name not in names
    assert enterprise_of(demo, "luoyang-enterprise").name in names


def test_county_official_list_holds_only_its_county(client, demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    client.force_login(demo["luoyang-county"])
    rows = client.get("/api/organisations/?page_size=500").json()["results"]
    assert rows
    assert {row["jurisdiction"] for row in rows} == {county.key}


def test_city_official_sees_all_its_counties_but_not_another_city(client, demo):
    client.force_login(demo["luoyang-city"])
    rows = client.get("/api/organisations/?page_size=500").json()["results"]
    names = {row["name"] for row in rows}
    assert enterprise_of(demo, "luoyang-enterprise").name in names
    assert enterprise_of(demo, "luoyang-enterprise2").name in names
    assert enterprise_of(demo, "jinan-enterprise").name not in names
    jinan = enterprise_of(demo, "jinan-enterprise")
    assert client.get(reverse("directory:organisation-detail", args=[jinan.pk])).status_code == 404


def test_province_official_sees_its_cities_only(client, demo):
    client.force_login(demo["henan"])
    names = {
        row["name"] for row in client.get("/api/organisations/?page_size=500").json()["results"]
    }
    assert enterprise_of(demo, "luoyang-enterprise").name in names
    assert enterprise_of(demo, "dalian-enterprise").name not in names


def test_national_official_sees_every_city(client, demo):
    client.force_login(demo["nation"])
    response = client.get("/api/organisations/?page_size=500").json()
    assert response["count"] == Organisation.objects.count()


@pytest.mark.parametrize(
    "username", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert", "luoyang-env"]
)
def test_non_official_sees_only_own_organisation(client, demo, username):
    user = demo[username]
    client.force_login(user)
    rows = client.get("/api/organisations/").json()["results"]
    assert [row["id"] for row in rows] == [user.organisation_id]
    neighbour = enterprise_of(demo, "luoyang-enterprise2")
    assert client.get(f"/api/organisations/{neighbour.pk}/").status_code == 404
    assert (
        client.get(reverse("directory:organisation-detail", args=[neighbour.pk])).status_code == 404
    )


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-expert"])
def test_non_official_is_refused_the_organisation_list_page(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("directory:organisation-list")).status_code == 403


def test_county_official_jurisdictions_api_is_its_own_subtree(client, demo):
    client.force_login(demo["luoyang-city"])
    keys = {row["key"] for row in client.get("/api/jurisdictions/?page_size=500").json()["results"]}
    assert "410300" in keys and "410311" in keys and "LY-HTZ" in keys
    assert "370100" not in keys and "410000" not in keys
    assert client.get("/api/jurisdictions/370102/").status_code == 404


def test_anonymous_gets_nothing_from_the_api(client, demo):
    assert client.get("/api/organisations/").status_code in (401, 403)
    assert client.get("/api/jurisdictions/").status_code in (401, 403)


def test_token_authentication_is_scoped_too(client, demo):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=demo["jinan-county"])
    rows = client.get(
        "/api/organisations/?page_size=500", HTTP_AUTHORIZATION=f"Token {token.key}"
    ).json()["results"]
    assert rows and all(row["jurisdiction"] == "370102" for row in rows)
