"""Issue 18 item 1: a bureau adds its functional zones (高新区, 经开区) under a city it governs,
audited; the division loader never touches them; out-of-scope and misplaced zones are refused."""

import re

import pytest
from django.urls import reverse

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.loaders import divisions_load
from greenmfg.directory.models import Jurisdiction, Level
from greenmfg.directory.selectors import county_choices
from greenmfg.directory.services import functional_zone_create

from .divisions import demo_divisions, write_dataset

pytestmark = pytest.mark.django_db

URL = reverse("directory:functional-zones")


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def test_a_city_official_adds_a_zone_from_the_page(client, demo, tmp_path):
    client.force_login(demo["luoyang-city"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "洛阳高新技术产业开发区" in page.content.decode()  # the demo's zone, listed

    response = client.post(URL, {"parent": place("410300").key, "name": "洛阳经济技术开发区"})

    assert response.status_code == 302
    zone = Jurisdiction.objects.get(name="洛阳经济技术开发区")
    assert (zone.key, zone.code, zone.kind, zone.level) == (
        "410300-Z1",
        "",
        Jurisdiction.Kind.FUNCTIONAL,
        Level.COUNTY,
    )
    assert zone.parent == place("410300") and zone.path == "CN/410000/410300/410300-Z1/"
    assert zone in county_choices()  # enterprises may register in it
    entry = AuditEntry.objects.get(object_id=str(zone.pk), action="zone_create")
    assert entry.actor == demo["luoyang-city"]

    # The division loader leaves it as it is.
    report = divisions_load(path=write_dataset(tmp_path, demo_divisions()))
    assert report.changes == 0
    zone.refresh_from_db()
    assert (zone.key, zone.name, zone.path, zone.active) == (
        "410300-Z1",
        "洛阳经济技术开发区",
        "CN/410000/410300/410300-Z1/",
        True,
    )


def test_a_county_official_may_not_add_a_zone_under_the_city(client, demo):
    """Only under their own county (tests/directory/test_county_zones.py)."""
    county_official = demo["luoyang-county"]
    client.force_login(county_official)

    page = client.get(URL).content.decode()

    assert "新增功能区" in page
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        functional_zone_create(actor=county_official, parent=place("370102"), name="某县开发区")
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        functional_zone_create(actor=county_official, parent=place("410300"), name="某开发区")
    with pytest.raises(DomainError, match="须设在市或县（区）之下"):
        functional_zone_create(actor=county_official, parent=place("410000"), name="某省开发区")
    assert not Jurisdiction.objects.filter(
        name__in=["某县开发区", "某开发区", "某省开发区"]
    ).exists()


def test_an_official_whose_place_holds_no_city_or_county_is_told_who_adds_zones(client, demo):
    client.force_login(demo["nation"])
    Jurisdiction.objects.filter(level__in=[Level.CITY, Level.COUNTY]).update(active=False)

    page = client.get(URL).content.decode()

    assert "功能区由所在市、县（区）的工信部门或系统管理员新增" in page


def test_a_city_official_may_not_add_under_another_city(client, demo):
    client.force_login(demo["luoyang-city"])

    response = client.post(URL, {"parent": place("370100").key, "name": "济南某开发区"})

    assert response.status_code == 200  # the form again: 济南市 is not among its choices
    assert not Jurisdiction.objects.filter(name="济南某开发区").exists()
    with pytest.raises(NotPermitted):
        functional_zone_create(
            actor=demo["luoyang-city"], parent=place("370100"), name="济南某开发区"
        )


def test_a_name_used_under_the_city_is_refused(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.post(URL, {"parent": place("370100").key, "name": "济南高新技术产业开发区"})

    assert response.status_code == 200
    assert "已有「济南高新技术产业开发区」" in response.content.decode()
    assert Jurisdiction.objects.filter(name="济南高新技术产业开发区").count() == 1


def test_a_province_official_adds_under_any_of_its_cities_and_keys_do_not_collide(demo):
    henan = demo["henan"]
    first = functional_zone_create(actor=henan, parent=place("410300"), name="洛阳甲区")
    second = functional_zone_create(actor=henan, parent=place("410300"), name="洛阳乙区")

    assert (first.key, second.key) == ("410300-Z1", "410300-Z2")


def test_the_page_is_for_officials(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    assert client.get(URL).status_code == 403


# --- the parent picker (one select per level) ---------------------------------------------------


def selects(page: str) -> list[str]:
    return re.findall(r'<select name="parent"[^>]*>.*?</select>', page, flags=re.S)


@pytest.mark.parametrize(
    ("chain", "parent"),
    [(["410300", ""], "410300"), (["410300", "410311"], "410311")],
    ids=["the-city", "a-county-of-it"],
)
def test_a_city_official_chooses_the_city_or_a_county_with_the_picker(client, demo, chain, parent):
    client.force_login(demo["luoyang-city"])

    response = client.post(URL, {"parent": chain, "name": "某新区"})

    assert response.status_code == 302
    assert Jurisdiction.objects.get(name="某新区").parent == place(parent)


def test_a_city_officials_picker_offers_their_city_alone_at_the_first_level(client, demo):
    client.force_login(demo["luoyang-city"])

    page = client.get(URL).content.decode()

    first = selects(page)[0]
    assert re.findall(r'<option value="([^"]+)"', first) == ["410300"]
    assert '<label for="id_parent">' in page and 'id="id_parent"' in first


def test_a_county_officials_picker_offers_their_county_alone(client, demo):
    client.force_login(demo["luoyang-county"])

    page = client.get(URL).content.decode()

    assert [re.findall(r'<option value="([^"]+)"', s) for s in selects(page)] == [["410311"]]


@pytest.mark.parametrize(
    "chain",
    [["370100"], ["410300", "370102"], ["410300", "410311", "LY-HTZ"], ["999999"]],
    ids=["another-city", "a-county-of-another-city", "a-zone", "unknown"],
)
def test_a_parent_out_of_scope_is_refused_and_the_name_kept(client, demo, chain):
    client.force_login(demo["luoyang-city"])

    response = client.post(URL, {"parent": chain, "name": "某越界开发区"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "不是您可设功能区的市或县（区）" in page
    assert 'value="某越界开发区"' in page
    assert not Jurisdiction.objects.filter(name="某越界开发区").exists()


def test_a_province_is_refused_and_its_cities_offered_without_javascript(client, demo):
    client.force_login(demo["admin"])

    response = client.post(URL, {"parent": ["410000", ""], "name": "某省级开发区"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "功能区须设在市或县（区）之下：请在「河南省」之下继续选择。" in page
    assert 'value="某省级开发区"' in page
    provinces, cities = selects(page)
    assert '<option value="410000" selected>' in provinces
    assert '<option value="410300">' in cities
    assert not Jurisdiction.objects.filter(name="某省级开发区").exists()

    response = client.post(URL, {"parent": ["410000", "410300"], "name": "某省级开发区"})

    assert response.status_code == 302
    assert Jurisdiction.objects.get(name="某省级开发区").parent == place("410300")


def test_the_admins_page_with_the_national_tree_holds_a_few_dozen_options(client, demo):
    divisions_load()
    client.force_login(demo["admin"])

    page = client.get(URL).content.decode()

    (provinces,) = selects(page)
    assert 30 <= provinces.count("<option") <= 40  # the provinces, not some 3,000 places
    assert page.count("<option") < 100


def test_a_city_official_starts_from_the_city_with_its_counties_shown(client, demo):
    client.force_login(demo["luoyang-city"])

    city, counties = selects(client.get(URL).content.decode())

    assert '<option value="410300" selected>' in city
    assert '<option value="410311">' in counties


def test_without_javascript_next_level_shows_the_counties_and_saves_nothing(client, demo):
    """An administrator goes province → city → county with 显示下一级, then saves."""
    client.force_login(demo["admin"])

    page = client.post(URL, {"parent": ["410000"], "name": "某县级开发区", "next_level": "1"})

    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="error"' not in text  # no complaint: nothing was submitted for saving
    assert 'value="某县级开发区"' in text
    provinces, cities = selects(text)
    assert '<option value="410000" selected>' in provinces
    assert '<option value="410300">' in cities

    page = client.post(
        URL, {"parent": ["410000", "410300"], "name": "某县级开发区", "next_level": "1"}
    )

    provinces, cities, counties = selects(page.content.decode())
    assert '<option value="410000" selected>' in provinces
    assert '<option value="410300" selected>' in cities
    assert '<option value="410311">' in counties
    assert not Jurisdiction.objects.filter(name="某县级开发区").exists()

    response = client.post(URL, {"parent": ["410000", "410300", "410311"], "name": "某县级开发区"})

    assert response.status_code == 302
    assert Jurisdiction.objects.get(name="某县级开发区").parent == place("410311")


def test_the_pickers_script_is_offered_divisions_only_never_a_zone_to_set_a_zone_under(
    client, demo
):
    # The page's picker asks its next level with kind=admin; the endpoint then leaves the zones
    # out, where every other picker (registration, lists) is offered them.
    client.force_login(demo["luoyang-city"])
    page = client.get(URL).content.decode()
    children_url = reverse("directory:region-children")
    assert f'data-children-url="{children_url}?kind=admin"' in page

    def names(query: str) -> set[str]:
        response = client.get(f"{children_url}?parent=410300{query}")
        return {node["name"] for node in response.json()["results"]}

    assert "洛阳高新技术产业开发区" in names("")
    divisions = names("&kind=admin")
    assert "洛阳高新技术产业开发区" not in divisions
    assert divisions and divisions < names("")
