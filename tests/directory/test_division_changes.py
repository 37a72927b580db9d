"""Issue 18 item 1: a reload records renames, code changes, moves and withdrawals as history,
and everything that points at a jurisdiction keeps pointing at the same row."""

import pytest

from greenmfg.directory.loaders import divisions_load
from greenmfg.directory.models import (
    Jurisdiction,
    JurisdictionChange,
    Level,
    Organisation,
    OrganisationCount,
)
from greenmfg.directory.selectors import county_choices, match_region
from tests.factories.directory import OrganisationFactory
from tests.factories.registry import ListingFactory

from .divisions import demo_divisions, replace, write_dataset

pytestmark = pytest.mark.django_db

Kind = JurisdictionChange.Kind


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def subtree_total(node: Jurisdiction) -> int:
    return sum(OrganisationCount.objects.filter(jurisdiction=node).values_list("total", flat=True))


def test_a_rename_is_history_and_the_row_stays(demo, tmp_path):
    county = place("410304")
    enterprise = OrganisationFactory(jurisdiction=county)
    rows = replace(demo_divisions(), "410304", name="瀍河区")

    report = divisions_load(path=write_dataset(tmp_path, rows))

    assert (report.renamed, report.changes) == (1, 1)
    county.refresh_from_db()
    assert (county.key, county.code, county.name) == ("410304", "410304", "瀍河区")
    change = county.changes.get()
    assert (change.kind, change.old_value, change.new_value) == (
        Kind.RENAMED,
        "瀍河回族区",
        "瀍河区",
    )
    enterprise.refresh_from_db()
    assert enterprise.jurisdiction_id == county.pk
    # The old name still finds it, for an import written before the change.
    assert match_region("瀍河回族区") == county


def test_a_code_change_keeps_the_row_its_key_and_its_counts(demo, tmp_path):
    # 偃师市 (410381) became 偃师区 (410307) in 2021: the tree as it was before, then the dataset.
    county = place("410307")
    Jurisdiction.objects.filter(pk=county.pk).update(code="410381", name="偃师市")
    enterprise = OrganisationFactory(jurisdiction=county)
    listing = ListingFactory(organisation=enterprise)
    city_total = subtree_total(place("410300"))

    report = divisions_load(
        path=write_dataset(tmp_path, replace(demo_divisions(), "410381", "410307", "偃师区"))
    )

    assert (report.recoded, report.renamed, report.created, report.withdrawn) == (1, 1, 0, 0)
    county.refresh_from_db()
    assert (county.pk, county.key, county.code, county.name) == (
        county.pk,
        "410307",
        "410307",
        "偃师区",
    )
    assert county.active
    kinds = dict(county.changes.values_list("kind", "old_value"))
    assert kinds == {Kind.RECODED: "410381", Kind.RENAMED: "偃师市"}
    enterprise.refresh_from_db()
    listing.refresh_from_db()
    assert enterprise.jurisdiction_id == listing.jurisdiction_id == county.pk
    assert subtree_total(place("410300")) == city_total
    assert match_region("410381") == county  # the old code, in an old spreadsheet


def test_an_announced_code_change_is_taken_as_given(demo, tmp_path):
    county = place("410325")  # 嵩县, under a code and a name the heuristic cannot pair
    rows = replace(demo_divisions(), "410325", new_code="410399", name="嵩山区")

    report = divisions_load(path=write_dataset(tmp_path, rows), recoded={"410325": "410399"})

    assert (report.recoded, report.renamed, report.created, report.withdrawn) == (1, 1, 0, 0)
    county.refresh_from_db()
    assert (county.key, county.code, county.name) == ("410325", "410399", "嵩山区")


def test_a_move_refreshes_the_copies_of_province_and_city_and_the_counts(demo, tmp_path):
    # As 莱芜市 was merged into 济南市 in 2019 and its districts took 济南's codes (the codes
    # here are made up: the demo has the real ones).
    shandong, jinan = place("370000"), place("370100")
    laiwu = Jurisdiction(key="371200", code="371200", name="莱芜市", level=Level.CITY)
    laiwu.parent = shandong
    laiwu.save()
    gangcheng = Jurisdiction(key="371290", code="371290", name="莱城区", level=Level.COUNTY)
    gangcheng.parent = laiwu
    gangcheng.save()
    enterprise = OrganisationFactory(jurisdiction=gangcheng)
    listing = ListingFactory(organisation=enterprise)
    jinan_total = subtree_total(jinan)

    report = divisions_load(
        path=write_dataset(
            tmp_path, [r for r in demo_divisions() if r[0][:4] != "3712"] + [("370190", "莱城区")]
        )
    )

    assert (report.recoded, report.moved, report.withdrawn) == (1, 1, 1)
    gangcheng.refresh_from_db()
    laiwu.refresh_from_db()
    assert gangcheng.parent_id == jinan.pk and gangcheng.path == "CN/370000/370100/371290/"
    assert not laiwu.active
    enterprise.refresh_from_db()
    listing.refresh_from_db()
    assert enterprise.jurisdiction_id == gangcheng.pk
    assert (enterprise.province_id, enterprise.city_id) == (shandong.pk, jinan.pk)
    assert (listing.province_id, listing.city_id) == (shandong.pk, jinan.pk)
    assert subtree_total(jinan) == jinan_total + 1
    assert subtree_total(laiwu) == 0
    # Seen from 济南, the enterprise is one of its own.
    assert Organisation.objects.filter(city=jinan, pk=enterprise.pk).exists()


def test_a_division_no_longer_listed_is_withdrawn_not_deleted(demo, tmp_path, client):
    county = place("410304")
    enterprise = OrganisationFactory(jurisdiction=county)

    report = divisions_load(
        path=write_dataset(tmp_path, replace(demo_divisions(), "410304", drop=True))
    )

    assert (report.withdrawn, report.changes) == (1, 1)
    county.refresh_from_db()
    assert not county.active
    enterprise.refresh_from_db()
    assert enterprise.jurisdiction_id == county.pk
    assert county not in county_choices()
    children = client.get("/regions/children/", {"parent": "410300"}).json()["results"]
    assert "410304" not in {child["key"] for child in children}

    # Listed again: restored, the same row.
    again = divisions_load(
        path=write_dataset(tmp_path, [*demo_divisions(), ("410304", "瀍河回族区")])
    )

    assert (again.restored, again.changes) == (1, 1)
    county.refresh_from_db()
    assert county.active
    assert list(county.changes.values_list("kind", flat=True).order_by("id")) == [
        Kind.WITHDRAWN,
        Kind.RESTORED,
    ]


def test_functional_zones_are_never_touched(demo, tmp_path):
    zone = place("LY-HTZ")
    before = (zone.name, zone.code, zone.kind, zone.level, zone.parent_id, zone.path, zone.active)
    rows = replace(demo_divisions(), "410300", name="洛阳新市")

    divisions_load(path=write_dataset(tmp_path, rows))
    divisions_load(path=write_dataset(tmp_path, rows))

    zone.refresh_from_db()
    assert (
        zone.name,
        zone.code,
        zone.kind,
        zone.level,
        zone.parent_id,
        zone.path,
        zone.active,
    ) == before
    assert not zone.changes.exists()
