"""Which caps reach an engagement, as pure rules: 洛阳 第二十条 counts 国家级层面 projects only
and follows 洛阳's units and agencies into a national batch; 大连 二 reaches its own batch;
济南 sets none."""

import pytest

from greenmfg.rules.agency import (
    REACH_BATCH,
    REACH_LOCAL,
    agency_cap,
    cap_finding,
    governing_caps,
    uncounted_note,
)

LUOYANG, JINAN, DALIAN = "luoyang-2024", "jinan-2024", "dalian-2022-national"


def policies_of(caps) -> list[str]:
    return [cap.policy for cap in caps]


def test_luoyang_counts_national_projects_only_and_follows_its_city():
    cap = agency_cap(LUOYANG)

    assert cap.levels == frozenset({"national"}) and cap.reach == REACH_LOCAL
    assert [cap.counts_level(level) for level in ("national", "province", "city", "county")] == [
        True,
        False,
        False,
        False,
    ]
    assert cap.citation == "洛阳 第二十条"
    assert "市级、省级项目不计入" in cap.explanation


def test_dalian_counts_its_batch_at_any_level():
    cap = agency_cap(DALIAN)

    assert cap.levels is None and cap.reach == REACH_BATCH
    assert cap.counts_level("city") and cap.counts_level("national")


@pytest.mark.parametrize(
    ("batch_policy", "level", "local", "expected"),
    [
        (LUOYANG, "city", {LUOYANG}, []),
        (LUOYANG, "province", {LUOYANG}, []),
        (LUOYANG, "national", {LUOYANG}, [LUOYANG]),
        (DALIAN, "national", {LUOYANG}, [DALIAN, LUOYANG]),
        (DALIAN, "national", {JINAN}, [DALIAN]),
        (DALIAN, "city", {DALIAN}, [DALIAN]),
        (DALIAN, "city", {LUOYANG}, [DALIAN]),
        (JINAN, "national", {LUOYANG, JINAN}, [LUOYANG]),
        (JINAN, "national", {JINAN}, []),
        (JINAN, "city", {JINAN, LUOYANG}, []),
    ],
    ids=[
        "luoyang-city-batch",
        "luoyang-provincial-batch",
        "national-batch-under-luoyang",
        "national-batch-under-dalian-luoyang-unit",
        "national-batch-under-dalian-jinan-unit",
        "dalian-city-batch",
        "dalian-city-batch-luoyang-agency",
        "national-batch-under-jinan-luoyang-unit",
        "national-batch-under-jinan-jinan-unit",
        "jinan-city-batch",
    ],
)
def test_the_caps_that_reach_an_engagement(batch_policy, level, local, expected):
    caps = governing_caps(batch_policy=batch_policy, batch_level=level, local_policies=local)

    assert policies_of(caps) == expected


def test_dalian_does_not_follow_its_units_into_another_batch():
    caps = governing_caps(batch_policy=JINAN, batch_level="national", local_policies={DALIAN})

    assert caps == []


def test_the_luoyang_refusal_names_the_national_level():
    finding = cap_finding(LUOYANG, used=15)

    assert not finding.passed and finding.article == "第二十条"
    assert "国家级层面已承担 15 项" in finding.message
    assert finding.values["levels"] == ["national"]


@pytest.mark.parametrize(
    ("policy", "level", "says"),
    [
        (LUOYANG, "city", "本批次为市级，不计入"),
        (LUOYANG, "province", "本批次为省级，不计入"),
        (JINAN, "city", "本办法未设评价项目数量上限"),
    ],
)
def test_why_a_batch_carries_no_cap_cites_only_its_own_document(policy, level, says):
    note = uncounted_note(policy, level)

    assert says in note
    if policy == JINAN:
        assert "洛阳" not in note and "大连" not in note


@pytest.mark.parametrize(("policy", "level"), [(LUOYANG, "national"), (DALIAN, "city")])
def test_a_capped_batch_needs_no_note(policy, level):
    assert uncounted_note(policy, level) == ""
