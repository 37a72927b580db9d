"""Who imports experts: the official who keeps a pool, into their own bureau's pool only."""

import pytest

from greenmfg.core.errors import NotPermitted
from greenmfg.core.imports.services import import_apply, import_upload
from reviews.models import ExpertMembership
from tests.factories.expert_imports import expert_row, experts_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pool",
    ["济南市工业和信息化局", "370100", "河南省工业和信息化厅"],
    ids=["name", "code", "above"],
)
def test_a_city_official_cannot_import_into_another_pool(demo, pool):
    official = demo["luoyang-city"]
    rows = [expert_row(), expert_row(专家库=pool)]
    run = import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=official)
    assert run.results[0]["outcome"] == "new"
    refused = run.results[1]
    assert (refused["outcome"], refused["column"]) == ("error", "专家库")
    assert "不在您的管理范围内" in refused["reason"]
    assert "洛阳市工业和信息化局" in refused["reason"]


def test_a_province_official_imports_into_the_province_pool(demo):
    official = demo["henan"]
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(专家库=official.organisation.name)]),
        actor=official,
    )
    import_apply(run=run, actor=official)
    assert ExpertMembership.objects.filter(authority=official.organisation).count() == 1


@pytest.mark.parametrize(
    "username", ["luoyang-county", "luoyang-enterprise", "luoyang-agency", "luoyang-expert"]
)
def test_only_pool_keepers_import(demo, username):
    with pytest.raises(NotPermitted):
        import_upload(kind="experts", uploaded=experts_xlsx([expert_row()]), actor=demo[username])
    assert not ExpertMembership.objects.exists()
