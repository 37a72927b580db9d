"""match_region: the region an import's cell names, by code or by (qualified) name, with the
national tree loaded; unknown and ambiguous names refused with the candidates."""

import pytest

from greenmfg.directory.loaders import divisions_load
from greenmfg.directory.models import Jurisdiction
from greenmfg.directory.selectors import RegionMatchError, match_region, region_matcher

pytestmark = pytest.mark.django_db


@pytest.fixture
def nation(demo):
    divisions_load()
    return demo


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("410311", "410311"),
        (" 410311 ", "410311"),
        ("LY-HTZ", "LY-HTZ"),
        ("洛龙区", "410311"),
        ("河南省洛阳市洛龙区", "410311"),
        ("洛阳市 洛龙区", "410311"),
        ("洛阳 洛龙区", "410311"),
        ("济南市市中区", "370103"),
        ("山东 济南 市中区", "370103"),
        ("北京市朝阳区", "110105"),
        ("洛阳高新技术产业开发区", "LY-HTZ"),
        ("济源市", "419001"),
        ("大连市", "210200"),
    ],
    ids=lambda value: value.strip() or "blank",
)
def test_a_code_or_a_name_finds_its_region(nation, text, key):
    assert match_region(text).key == key


@pytest.mark.parametrize("text", ["市中区", "朝阳区", "鼓楼区"])
def test_a_name_several_regions_bear_is_ambiguous(nation, text, django_assert_max_num_queries):
    with django_assert_max_num_queries(4), pytest.raises(RegionMatchError) as refused:
        match_region(text)

    assert refused.value.code == "ambiguous"
    assert len(refused.value.candidates) >= 2
    assert "请写明上级地区或填写行政区划代码" in refused.value.message


@pytest.mark.parametrize("text", ["不存在区", "999999", "", "  "])
def test_an_unknown_region_is_refused(nation, text):
    with pytest.raises(RegionMatchError) as refused:
        match_region(text)

    assert refused.value.code == "unknown"


def test_within_limits_the_search_to_a_subtree(nation):
    jinan = Jurisdiction.objects.get(key="370100")

    assert match_region("市中区", within=jinan).key == "370103"
    with pytest.raises(RegionMatchError):
        match_region("洛龙区", within=jinan)


TEXTS = ["410311", "LY-HTZ", "洛龙区", "河南省洛阳市洛龙区", "洛阳 洛龙区", "山东 济南 市中区"]
TEXTS += ["北京市朝阳区", "济源市", "市中区", "朝阳区", "不存在区", "999999", " "]


def _outcome(match, text, **kwargs):
    try:
        return match(text, **kwargs).key
    except RegionMatchError as error:
        return (error.code, error.message, [node.key for node in error.candidates])


@pytest.mark.parametrize("text", TEXTS, ids=lambda value: value.strip() or "blank")
def test_the_loaded_matcher_answers_as_match_region(nation, text, django_assert_num_queries):
    jinan = Jurisdiction.objects.get(key="370100")
    with django_assert_num_queries(4):  # two each
        everywhere, in_jinan = region_matcher(), region_matcher(within=jinan)

    with django_assert_num_queries(0):
        loaded = (_outcome(everywhere, text), _outcome(in_jinan, text))
        again = (_outcome(everywhere, text), _outcome(everywhere, text, within=jinan))

    assert loaded == (_outcome(match_region, text), _outcome(match_region, text, within=jinan))
    assert again == loaded
