"""The organisations list at scale: its count comes from the maintained summary (exact at any
size, whatever LIST_COUNT_CAP), a name search falls back to the capped count, and a county's
page is asked for by equality so the (jurisdiction, name, id) index serves it in order."""

import pytest
from django.urls import reverse

from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.directory.selectors import organisation_list
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    OrganisationFactory.create_batch(8, jurisdiction=county, status=Organisation.Status.PENDING)
    OrganisationFactory.create_batch(4, jurisdiction=county, kind=Organisation.Kind.PARK)
    return county


def listed(client, user, **params):
    client.force_login(user)
    return client.get(reverse("directory:organisation-list"), params).context


@pytest.mark.parametrize("username", ["nation", "henan", "luoyang-city", "luoyang-county"])
def test_the_count_is_exact_above_the_cap(client, demo, crowded, settings, username):
    settings.LIST_COUNT_CAP = 4
    user = demo[username]
    visible = organisation_list(user=user)
    for params in ({}, {"status": "pending"}, {"kind": "park"}, {"jurisdiction": crowded.key}):
        paginator = listed(client, user, **params)["paginator"]
        expected = visible.filter(
            **{
                {"status": "status", "kind": "kind"}.get(key, "jurisdiction__key"): value
                for key, value in params.items()
            }
        ).count()
        assert paginator.count_is_exact and paginator.count == expected, params


def test_a_jurisdiction_outside_the_scope_or_unknown_counts_nothing(client, demo, crowded):
    other_province = Jurisdiction.objects.exclude(
        path__startswith=crowded.parent.parent.path
    ).filter(level=Level.COUNTY)[0]
    for value in (other_province.key, "no-such-place"):
        context = listed(client, demo["luoyang-city"], jurisdiction=value)
        assert context["paginator"].count == 0 and list(context["organisations"]) == []


def test_a_name_search_uses_the_capped_count(client, demo, crowded, settings):
    settings.LIST_COUNT_CAP = 4
    context = listed(client, demo["luoyang-city"], q="测试单位")
    assert not context["paginator"].count_is_exact
    assert len(context["organisations"]) == min(
        25, Organisation.objects.filter(name__contains="测试单位").count()
    )
    context = listed(
        client, demo["luoyang-city"], q=demo["luoyang-enterprise"].organisation.credit_code
    )
    assert context["paginator"].count_is_exact and context["paginator"].count == 1


def test_a_county_is_listed_by_equality_with_the_same_rows(demo, crowded):
    user = demo["luoyang-county"]
    queryset = organisation_list(user=user)
    assert '"jurisdiction_id" = ' in str(queryset.query) and "LIKE" not in str(queryset.query)
    by_path = Organisation.objects.filter(jurisdiction__path__startswith=crowded.path)
    assert list(queryset.values_list("pk", flat=True)) == list(by_path.values_list("pk", flat=True))
    # Counties are the leaves of the tree, which the equality relies on.
    assert not Jurisdiction.objects.filter(parent__level=Level.COUNTY).exists()
