"""The pool form's organisation picker: never a national-size <select>, typed names and codes
resolved, the scope kept (issue 16)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import CultivationCandidate
from greenmfg.core.widgets import PICKER_LIMIT
from tests.applications.helpers import county
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
EXTRA = 50


def data(**picked):
    return {"target_unit_type": "factory", "target_year": NEXT_YEAR, "plan": "节能改造", **picked}


@pytest.fixture
def crowded(demo):
    """The county with more units than a list may show."""
    place = county("410311")
    return [
        OrganisationFactory(jurisdiction=place, name=f"拥挤县企业{n:03d}有限公司")
        for n in range(EXTRA)
    ]


def test_a_small_county_still_gets_a_plain_list(client, demo):
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("applications:pool-create")).content.decode()
    assert re.search(r'<select[^>]* name="organisation"', body)
    assert demo["luoyang-enterprise"].organisation.name in body


def test_a_crowded_county_gets_a_search_box_in_bounded_queries(
    client, demo, crowded, django_assert_max_num_queries
):
    client.force_login(demo["luoyang-county"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("applications:pool-create"))
    body = response.content.decode()
    assert response.status_code == 200
    assert not any(organisation.name in body for organisation in crowded)
    assert 'name="organisation_query"' in body and 'role="combobox"' in body
    assert 'aria-controls="id_organisation_listbox"' in body
    assert reverse("applications:pool-organisation-search") in body
    assert "js/search_picker.js" in body and "<script>" not in body


def test_the_page_queries_do_not_grow_with_the_county(
    client, demo, crowded, django_assert_max_num_queries
):
    client.force_login(demo["luoyang-county"])
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("applications:pool-create"))
    place = county("410311")
    for n in range(EXTRA):
        OrganisationFactory(jurisdiction=place, name=f"更多企业{n:03d}有限公司")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("applications:pool-create"))


def test_search_answers_at_most_the_limit_within_the_scope(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    url = reverse("applications:pool-organisation-search")
    body = client.get(url, {"q": "拥挤县"}).json()
    assert len(body["results"]) == PICKER_LIMIT and body["more"] is True
    assert all("拥挤县企业" in row["label"] for row in body["results"])
    code = crowded[7].credit_code
    assert [row["id"] for row in client.get(url, {"q": code}).json()["results"]] == [crowded[7].pk]
    # Another county's keeper does not find them.
    client.force_login(demo["luoyang-county2"])
    assert client.get(url, {"q": "拥挤县"}).json()["results"] == []
    other = demo["luoyang-enterprise2"].organisation.name
    client.force_login(demo["luoyang-county"])
    assert client.get(url, {"q": other}).json()["results"] == []


def test_search_requires_login(client):
    response = client.get(reverse("applications:pool-organisation-search"), {"q": "企业"})
    assert response.status_code == 302


def test_the_picked_id_is_added(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    picked = crowded[3]
    response = client.post(
        reverse("applications:pool-create"),
        data(
            organisation=picked.pk,
            organisation_query=f"{picked.name}（企业，{picked.credit_code}）",
        ),
    )
    assert response.status_code == 302
    assert CultivationCandidate.objects.get().organisation == picked


@pytest.mark.parametrize("typed", ["name", "code", "lower code"])
def test_without_javascript_a_typed_name_or_code_is_resolved(client, demo, crowded, typed):
    client.force_login(demo["luoyang-county"])
    picked = crowded[11]
    text = {"name": picked.name, "code": picked.credit_code, "lower code": picked.credit_code}[
        typed
    ]
    if typed == "lower code":
        text = text.lower()
    response = client.post(
        reverse("applications:pool-create"), data(organisation="", organisation_query=text)
    )
    assert response.status_code == 302
    assert CultivationCandidate.objects.get().organisation == picked


def test_nothing_matching_is_refused_keeping_the_text(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        reverse("applications:pool-create"), data(organisation="", organisation_query="不存在的厂")
    )
    body = response.content.decode()
    assert response.status_code == 200 and not CultivationCandidate.objects.exists()
    assert "没有与「不存在的厂」相符的单位" in body
    assert 'value="不存在的厂"' in body


def test_several_matching_are_refused_and_offered_to_choose(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        reverse("applications:pool-create"),
        data(organisation="", organisation_query="拥挤县企业00"),
    )
    body = response.content.decode()
    assert response.status_code == 200 and not CultivationCandidate.objects.exists()
    assert "有多个单位与「拥挤县企业00」相符" in body
    assert 'name="organisation_choice"' in body
    assert crowded[5].name in body and crowded[15].name not in body
    # Choosing one of them, the text unchanged, adds it.
    response = client.post(
        reverse("applications:pool-create"),
        data(organisation="", organisation_choice=crowded[5].pk, organisation_query="拥挤县企业00"),
    )
    assert response.status_code == 302
    assert CultivationCandidate.objects.get().organisation == crowded[5]


def test_an_out_of_scope_id_is_refused(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    outside = demo["luoyang-enterprise2"].organisation
    for extra in ({}, {"organisation_query": outside.name}):
        response = client.post(
            reverse("applications:pool-create"), data(organisation=outside.pk, **extra)
        )
        assert response.status_code == 200
    assert not CultivationCandidate.objects.exists()
    response = client.post(reverse("applications:pool-create"), data(organisation=outside.pk))
    assert "所选项不在可选范围内" in response.content.decode()


def test_an_edited_text_overrides_a_stale_id(client, demo, crowded):
    """A re-rendered page keeps the resolved id; if the user then types another unit without
    JavaScript, the text wins."""
    client.force_login(demo["luoyang-county"])
    response = client.post(
        reverse("applications:pool-create"),
        data(organisation=crowded[1].pk, organisation_query=crowded[2].credit_code),
    )
    assert response.status_code == 302
    assert CultivationCandidate.objects.get().organisation == crowded[2]


def test_the_initial_organisation_is_shown_by_its_label(client, demo, crowded):
    client.force_login(demo["luoyang-county"])
    picked = crowded[4]
    body = client.get(reverse("applications:pool-create"), {"organisation": picked.pk})
    body = body.content.decode()
    assert f'value="{picked.pk}"' in body and picked.credit_code in body


def test_the_system_administrators_page_lists_no_unit(
    client, demo, crowded, django_assert_max_num_queries
):
    """/pool/new/ for the system administrator offered every county unit of the country."""
    client.force_login(demo["admin"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("applications:pool-create"))
    body = response.content.decode()
    assert response.status_code == 200 and 'name="organisation_query"' in body
    assert not any(organisation.name in body for organisation in crowded)
    found = client.get(reverse("applications:pool-organisation-search"), {"q": "拥挤县企业049"})
    assert [row["id"] for row in found.json()["results"]] == [crowded[49].pk]
