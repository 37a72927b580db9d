"""The organisations list at scale: its count comes from the maintained summary (exact at any
size, whatever LIST_COUNT_CAP), a name search falls back to the capped count, and a province's,
a city's or a county's page is asked for by equality on the organisation's own province, city or
jurisdiction, so that an index in name order serves it: the same rows as the path prefix."""

import pytest
from django.urls import reverse

from greenmfg.directory.filters import OrganisationFilter
from greenmfg.directory.models import LEVEL_DEPTH, Jurisdiction, Level, Organisation
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


def test_province_and_city_follow_creates_moves_and_bulk_inserts(demo, crowded):
    far = Jurisdiction.objects.exclude(path__startswith=crowded.parent.parent.path).filter(
        level=Level.COUNTY
    )[0]
    moved = Organisation.objects.filter(jurisdiction=crowded)[0]
    moved.jurisdiction = far
    moved.save()
    again = Organisation.objects.filter(jurisdiction=crowded)[0]
    again.jurisdiction_id = crowded.parent_id  # to the city itself, saving named fields only
    again.save(update_fields=["jurisdiction"])
    Organisation.objects.bulk_create(
        [
            Organisation(name="批量省级", kind="institution", jurisdiction=crowded.parent.parent),
            Organisation(name="批量县级", kind="enterprise", jurisdiction_id=far.pk),
        ]
    )
    for node in Jurisdiction.objects.all():
        # The levels sit at their depth in the tree, which the equality relies on.
        assert LEVEL_DEPTH[node.level] == node.path.count("/") - 1, node.path
    for organisation in Organisation.objects.select_related("jurisdiction"):
        path = organisation.jurisdiction.path
        ancestors = {
            node.level: node.pk for node in Jurisdiction.objects.all() if path.startswith(node.path)
        }
        assert organisation.province_id == ancestors.get(Level.PROVINCE), organisation.name
        assert organisation.city_id == ancestors.get(Level.CITY), organisation.name


def test_every_scope_and_jurisdiction_filter_gives_the_path_prefix_rows(demo, crowded):
    def ids(queryset):
        return list(queryset.values_list("pk", flat=True))

    for username in ("nation", "henan", "luoyang-city", "luoyang-county", "admin"):
        user = demo[username]
        root = user.organisation.jurisdiction if user.is_official else None
        by_path = Organisation.objects.order_by("name", "id")
        if root is not None:
            by_path = by_path.filter(jurisdiction__path__startswith=root.path)
        assert ids(organisation_list(user=user)) == ids(by_path), username
        for node in Jurisdiction.objects.all():
            filtered = OrganisationFilter(
                {"jurisdiction": node.key}, queryset=organisation_list(user=user)
            ).qs
            expected = by_path.filter(jurisdiction__path__startswith=node.path)
            assert ids(filtered) == ids(expected), (username, node.key)


def test_the_endpoint_counts_like_the_page(client, demo, crowded, settings):
    settings.LIST_COUNT_CAP = 4
    user = demo["luoyang-city"]
    client.force_login(user)
    visible = organisation_list(user=user)
    body = client.get("/api/organisations/", {"status": "pending"}).json()
    assert body["count"] == visible.filter(status="pending").count() > 4
    assert len(body["results"]) == body["count"]
    body = client.get("/api/organisations/", {"q": "测试单位"}).json()
    assert body["count"] is None  # a search past the cap: the generic capped count
    organisation = Organisation.objects.filter(jurisdiction=crowded)[0]
    audit = client.get(f"/api/organisations/{organisation.pk}/audit/").json()
    assert audit["count"] == len(audit["results"])  # its own count, not the organisations'
