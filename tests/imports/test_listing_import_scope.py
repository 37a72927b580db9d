"""An official imports only units of their subtree; others may not import at all."""

import pytest

from greenmfg.core.errors import NotPermitted
from greenmfg.core.imports.services import import_upload
from registry.models import Listing
from tests.factories.directory import OrganisationFactory, demo_place
from tests.factories.imports import listing_row, xlsx_upload


def test_a_county_official_cannot_import_a_unit_of_another_county(demo):
    # luoyang-county oversees 洛龙区 (410311); 偃师区 (410307) is another county.
    rows = [listing_row(所在地区="410311"), listing_row(单位名称="偃师公司", 所在地区="410307")]
    run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=demo["luoyang-county"])
    assert run.results[0]["outcome"] == "new"
    refused = run.results[1]
    assert (refused["outcome"], refused["column"]) == ("error", "所在地区")
    assert "不在您的管辖范围内" in refused["reason"]


def test_a_city_official_cannot_import_another_citys_unit_by_name(demo):
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(所在地区="历下区")]),
        actor=demo["luoyang-city"],
    )
    assert run.results[0]["column"] == "所在地区"
    assert "不在您的管辖范围内" in run.results[0]["reason"]


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert"])
def test_only_officials_import(demo, username):
    with pytest.raises(NotPermitted):
        import_upload(kind="listings", uploaded=xlsx_upload([listing_row()]), actor=demo[username])
    assert not Listing.objects.exists()


def test_a_unit_registered_elsewhere_is_not_moved_by_its_row(demo):
    elsewhere = OrganisationFactory(jurisdiction=demo_place("370102"))
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(统一社会信用代码=elsewhere.credit_code)]),
        actor=demo["luoyang-city"],
    )
    assert (run.results[0]["outcome"], run.results[0]["column"]) == ("error", "所在地区")
    assert "登记在历下区" in run.results[0]["reason"]
