"""The cascading region picker (issue 17 item 5): one <select> per level along the chosen path,
a few queries whatever the tree's size, the deepest consistent choice kept, out-of-scope keys
refused with the reason, and the children endpoint the script asks."""

import pytest
from django import forms

from greenmfg.directory.models import Jurisdiction
from greenmfg.directory.widgets import RegionField

pytestmark = pytest.mark.django_db


def picker_form(queryset=None):
    class RegionForm(forms.Form):
        region = RegionField(
            queryset if queryset is not None else Jurisdiction.objects.all(), required=False
        )

    return RegionForm


def selects(html: str) -> int:
    return html.count("<select")


def test_unbound_it_offers_the_provinces_only(demo):
    html = str(picker_form()()["region"])

    assert selects(html) == 1
    assert "河南省" in html and "山东省" in html
    assert "洛阳市" not in html  # no city until a province is chosen


def test_the_chosen_path_is_shown_level_by_level(demo, django_assert_max_num_queries):
    form = picker_form()({"region": ["410000", "410300", ""]})

    with django_assert_max_num_queries(4):
        assert form.is_valid()
        html = str(form["region"])

    assert form.cleaned_data["region"].key == "410300"
    assert selects(html) == 3  # provinces, 河南's cities, 洛阳's counties
    assert '<option value="410300" selected>洛阳市</option>' in html
    assert "洛龙区" in html and "全部（洛阳市）" in html


def test_a_changed_province_drops_the_old_city(demo):
    # Without JavaScript the city select still posts 洛阳市 after the user chose 山东省.
    form = picker_form()({"region": ["370000", "410300"]})

    assert form.is_valid()
    assert form.cleaned_data["region"].key == "370000"


def test_a_program_posts_one_key(demo):
    form = picker_form()({"region": "410311"})

    assert form.is_valid()
    assert form.cleaned_data["region"].name == "洛龙区"


def test_a_key_outside_the_scope_is_refused_with_the_reason(demo):
    luoyang = Jurisdiction.objects.get(key="410300")
    form = picker_form(Jurisdiction.objects.filter(path__startswith=luoyang.path))(
        {"region": "370100"}
    )

    assert not form.is_valid()
    assert form.errors["region"] == ["所选地区不存在或不在您的辖区内：370100"]
    html = str(form["region"])
    assert "洛龙区" in html and "山东省" not in html  # the scope's own first level


def test_a_city_scope_starts_at_its_counties(demo):
    luoyang = Jurisdiction.objects.get(key="410300")
    html = str(picker_form(Jurisdiction.objects.filter(path__startswith=luoyang.path))()["region"])

    assert selects(html) == 1 and "洛龙区" in html and "全部地区" in html


def test_the_children_endpoint(client, demo):
    body = client.get("/regions/children/", {"parent": "410000"}).json()

    assert {"key": "410300", "name": "洛阳市"} in body["results"]
    assert body["prompt"] == "市级"
    missing = client.get("/regions/children/", {"parent": "999999"})
    assert missing.status_code == 404 and "没有该行政区划" in missing.json()["detail"]
