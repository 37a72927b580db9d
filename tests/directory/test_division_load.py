"""Issue 18 item 1: manage.py load_divisions loads every province, city and county-level
division of the vendored dataset over the demo tree, in bulk, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command

from greenmfg.directory.loaders import DIVISIONS_AS_OF, divisions_load, divisions_read
from greenmfg.directory.models import LEVEL_DEPTH, Jurisdiction, JurisdictionChange, Level

pytestmark = pytest.mark.django_db

ADMIN = Jurisdiction.Kind.ADMIN


def coded():
    return Jurisdiction.objects.filter(kind=ADMIN, active=True).exclude(code="")


def test_the_dataset_reads_as_a_tree_of_gbt_2260_divisions():
    divisions = divisions_read()
    codes = {d.code: d for d in divisions}

    assert len(divisions) == 3219
    assert sum(d.level == Level.PROVINCE for d in divisions) == 34
    assert all(not d.parent_code or d.parent_code in codes for d in divisions)
    # Not divisions: a national new area, a functional zone, the dataset's own areas, districts
    # of Hong Kong; Hong Kong itself is one division.
    for code in ("133100", "320576", "990000", "999900", "810101", "710100"):
        assert code not in codes
    assert codes["810000"].level == Level.PROVINCE
    # Counties a province governs directly sit under GB/T 2260's xx9000.
    assert codes["419001"].parent_code == "419000"
    assert codes["419000"].name == "省直辖县级行政区划"
    assert codes["659000"].name == "自治区直辖县级行政区划"
    # A municipality's districts sit under its city-level node.
    assert codes["110105"].parent_code == "110100"


def test_loading_keeps_the_demo_rows_and_adds_the_rest(demo):
    luoyang = Jurisdiction.objects.get(key="410300")
    zone = Jurisdiction.objects.get(key="LY-HTZ")
    zone_before = (zone.name, zone.parent_id, zone.path, zone.kind, zone.level)

    report = divisions_load()

    assert report.changes == report.created == 3219 - 42
    assert report.unchanged == 42
    assert coded().count() == 3219
    again = Jurisdiction.objects.get(key="410300")
    assert (again.pk, again.path, again.code) == (luoyang.pk, luoyang.path, "410300")
    zone.refresh_from_db()
    assert (zone.name, zone.parent_id, zone.path, zone.kind, zone.level) == zone_before
    jiyuan = Jurisdiction.objects.get(code="419001")
    assert jiyuan.path == "CN/410000/419000/419001/"
    assert jiyuan.level == Level.COUNTY
    # Every division's path is its parent's and its key, at the depth of its level.
    paths = dict(Jurisdiction.objects.values_list("pk", "path"))
    for node in coded():
        assert node.path == f"{paths[node.parent_id]}{node.key}/"
        assert node.path.count("/") == LEVEL_DEPTH[node.level] + 1
    created = JurisdictionChange.objects.filter(kind=JurisdictionChange.Kind.CREATED)
    assert created.count() == report.created
    assert set(created.values_list("as_of", flat=True)) == {DIVISIONS_AS_OF}


def test_a_second_load_changes_nothing(demo):
    divisions_load()
    history = JurisdictionChange.objects.count()
    rows = list(Jurisdiction.objects.values_list("pk", "key", "code", "name", "path", "active"))

    report = divisions_load()

    assert report.changes == 0
    assert report.unchanged == 3219
    assert JurisdictionChange.objects.count() == history
    assert (
        list(Jurisdiction.objects.values_list("pk", "key", "code", "name", "path", "active"))
        == rows
    )


def test_the_command_reports_and_a_dry_run_writes_nothing(demo):
    before = Jurisdiction.objects.count()
    out = io.StringIO()

    call_command("load_divisions", "--dry-run", stdout=out)

    assert "(dry run)" in out.getvalue() and "3177 created" in out.getvalue()
    assert Jurisdiction.objects.count() == before

    call_command("load_divisions", stdout=out)
    call_command("load_divisions", stdout=(second := io.StringIO()))

    assert Jurisdiction.objects.count() == before + 3177
    assert "0 changes" in second.getvalue()
