"""Each policy's grounds for removal: 洛阳 and 济南 differ on a late dynamic-management table."""

import pytest

from dynamic_mgmt.removal_grounds import ground, late_table_ground


def test_a_late_table_alone_is_a_ground_in_jinan():
    found = late_table_ground("jinan-2024", onsite_refused=False)

    assert (found.code, found.article) == ("late_table", "第十九条第7项")


def test_luoyang_needs_the_refused_on_site_check_too():
    assert late_table_ground("luoyang-2024", onsite_refused=False) is None
    found = late_table_ground("luoyang-2024", onsite_refused=True)
    assert (found.code, found.article) == ("late_table_and_onsite_refused", "第十八条(二)")


def test_the_dalian_notice_sets_no_late_table_ground():
    assert late_table_ground("dalian-2022-national", onsite_refused=True) is None


@pytest.mark.parametrize(
    ("policy", "article"),
    [("luoyang-2024", "第十八条(四)"), ("jinan-2024", "第十八条"), ("dalian-2022-national", "三")],
)
def test_incidents_are_a_ground_everywhere_under_their_own_article(policy, article):
    assert ground(policy, "incident").article == article


def test_a_key_indicator_out_of_its_requirement_is_a_ground_under_each_policys_own_article():
    """洛阳 第十八条(一) (with 第十五条), 大连 三; 济南 第十九条 names no indicator ground."""
    assert ground("luoyang-2024", "indicator").article == "第十八条(一)"
    assert ground("dalian-2022-national", "indicator").article == "三"
    assert ground("jinan-2024", "indicator") is None
    assert ground("jinan-2024", "no_such_ground") is None
