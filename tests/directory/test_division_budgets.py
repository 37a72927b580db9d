"""With the national tree loaded (3,200 divisions), the pages and endpoints that list or pick
jurisdictions run the queries they ran with the demo's small tree: no more than their budget."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenmfg.directory.loaders import divisions_load
from greenmfg.directory.models import Jurisdiction
from greenmfg.directory.widgets import RegionField
from tests.budgets.budget import QUERY_CAP
from tests.factories.applications import BatchFactory
from tests.factories.directory import demo_bureau

pytestmark = pytest.mark.django_db

BATCH_PAGE_CAP = 20  # the batch page's budget (tests/applications/test_batch_pages.py)

PAGES = [
    ("/regions/children/?parent=CN", None, 2),
    ("/regions/children/?parent=410000", None, 2),
    ("/regions/children/?parent=410300", None, 2),
    ("/api/jurisdictions/", "admin", QUERY_CAP),
    ("/api/jurisdictions/?parent=410300", "luoyang-city", QUERY_CAP),
    ("/organisations/", "admin", QUERY_CAP),
    ("/organisations/?jurisdiction=410311", "nation", QUERY_CAP),
    ("/organisations/new/", "admin", QUERY_CAP),
    ("/register/", None, QUERY_CAP),
    ("/regions/zones/", "admin", QUERY_CAP),
    ("/regions/zones/", "henan", QUERY_CAP),
    ("/statistics/", "nation", QUERY_CAP),
    ("/statistics/?region=410311", "nation", QUERY_CAP),
    ("/tongji/?region=410300", None, QUERY_CAP),
]


@pytest.fixture
def nation(demo):
    divisions_load()
    return demo


@pytest.mark.parametrize(("url", "username", "budget"), PAGES)
def test_pages_stay_within_budget_with_the_national_tree(client, nation, url, username, budget):
    if username:
        client.force_login(nation[username])
    client.get(url)  # per-process caches first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= budget, "\n".join(q["sql"][:160] for q in queries)


def test_a_provinces_quota_table_stays_within_budget(client, nation):
    """The quota table lists the batch's children: 河南省's 17 cities and 省直辖县级行政区划."""
    henan = demo_bureau("410000")
    batch = BatchFactory(authority=henan)
    client.force_login(nation["henan"])
    url = reverse("applications:batch-detail", args=[batch.pk]) + "?tab=quotas"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert "省直辖县级行政区划" in response.content.decode()
    assert len(queries) <= BATCH_PAGE_CAP, "\n".join(q["sql"][:160] for q in queries)


def test_the_children_endpoint_offers_a_level_of_the_national_tree(client, nation):
    provinces = client.get("/regions/children/", {"parent": "CN"}).json()

    assert len(provinces["results"]) == 34
    assert provinces["prompt"] == "省级"


def test_the_picker_renders_a_county_of_the_national_tree_in_a_few_queries(
    nation, django_assert_max_num_queries
):
    class RegionForm(forms.Form):
        region = RegionField(Jurisdiction.objects.all(), required=False)

    form = RegionForm({"region": ["410000", "410300", "410311"]})
    with django_assert_max_num_queries(4):
        assert form.is_valid()
        html = str(form["region"])

    assert html.count("<select") == 3
    assert html.count("<option") < 34 + 40 + 30  # a level at a time, not the tree
