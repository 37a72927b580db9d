"""企业绿码, pure: percentile ranks, the composite index, the bands (A+ 5%, A 35%, B the rest)
and the bottom 5% three years running."""

from decimal import Decimal

import pytest

from dynamic_mgmt.grading import (
    Criterion,
    Filer,
    band_sizes,
    bottom_years_running,
    grade_group,
    numeric,
    percentile_ranks,
)

ENERGY = Criterion("energy_per_unit", lower_is_better=True)
SOLID_WASTE = Criterion("solid_waste_utilisation_rate", lower_is_better=False)


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, (0, 0, 0)),
        (1, (1, 0, 1)),
        (2, (1, 1, 1)),
        (3, (1, 1, 1)),
        (10, (1, 4, 1)),  # 3.5 rounds up
        (20, (1, 7, 1)),
        (21, (2, 7, 2)),
        (100, (5, 35, 5)),
    ],
)
def test_band_sizes(count, sizes):
    assert band_sizes(count) == sizes


def test_twenty_units_give_one_a_plus_seven_a_and_twelve_b():
    filers = [Filer(n, {"energy_per_unit": n}) for n in range(1, 21)]  # 1 is the best

    grades = grade_group(filers, [ENERGY])

    by_grade = {g: [r.key for r in grades if r.grade == g] for g in ("A+", "A", "B")}
    assert by_grade == {"A+": [1], "A": list(range(2, 9)), "B": list(range(9, 21))}
    assert [r.rank for r in grades] == list(range(1, 21))
    assert {r.of for r in grades} == {20}
    assert [r.key for r in grades if r.bottom_five] == [20]
    best = grades[0]
    assert best.score == Decimal("97.5000")
    assert best.basis["indicators"]["energy_per_unit"] == {
        "value": 1.0,
        "percentile": 97.5,
        "lower_is_better": True,
        "reported_by": 20,
    }
    assert best.basis["bands"] == {"A+": 1, "A": 7, "B": 12}


def test_higher_is_better_indicators_are_not_reversed():
    ranks = percentile_ranks({"a": 90.0, "b": 50.0, "c": 70.0}, lower_is_better=False)
    assert ranks["a"] > ranks["c"] > ranks["b"]
    reversed_ = percentile_ranks({"a": 90.0, "b": 50.0, "c": 70.0}, lower_is_better=True)
    assert reversed_["b"] > reversed_["c"] > reversed_["a"]


def test_the_index_averages_the_indicators_each_unit_reported():
    filers = [
        Filer("good-energy", {"energy_per_unit": 1, "solid_waste_utilisation_rate": 50}),
        Filer("good-waste", {"energy_per_unit": 9, "solid_waste_utilisation_rate": 99}),
        Filer("energy-only", {"energy_per_unit": 5}),
    ]

    grades = {g.key: g for g in grade_group(filers, [ENERGY, SOLID_WASTE])}

    # energy: 1 → 83.33, 5 → 50, 9 → 16.67; waste (two reported): 99 → 75, 50 → 25
    assert grades["good-energy"].score == Decimal("54.1667")
    assert grades["good-waste"].score == Decimal("45.8333")
    assert grades["energy-only"].score == Decimal("50.0000")
    assert set(grades["energy-only"].basis["indicators"]) == {"energy_per_unit"}


def test_a_filer_without_any_usable_value_gets_no_grade():
    filers = [
        Filer(1, {"energy_per_unit": 3}),
        Filer(2, {"energy_per_unit": "不详", "note": 5}),
        Filer(3, {}),
    ]
    assert [g.key for g in grade_group(filers, [ENERGY])] == [1]
    assert grade_group([], [ENERGY]) == []


def test_values_are_read_as_numbers_only():
    assert numeric("12.5") == 12.5 and numeric(3) == 3.0 and numeric(Decimal("0.5")) == 0.5
    assert numeric(True) is None and numeric("grade_1") is None and numeric(None) is None
    assert numeric(float("nan")) is None


def test_a_single_unit_is_a_plus_and_not_in_the_bottom():
    [only] = grade_group([Filer(1, {"energy_per_unit": 7})], [ENERGY])
    assert (only.grade, only.rank, only.of, only.bottom_five) == ("A+", 1, 1, False)
    assert only.score == Decimal("50.0000")


def test_ties_share_the_better_band():
    filers = [Filer(1, {"energy_per_unit": 1}), Filer(2, {"energy_per_unit": 1})]
    filers += [Filer(n, {"energy_per_unit": n}) for n in range(3, 21)]

    grades = {g.key: g for g in grade_group(filers, [ENERGY])}

    assert grades[1].grade == grades[2].grade == "A+"
    assert grades[1].rank == grades[2].rank == 1
    assert grades[3].rank == 3


def test_three_years_running_in_the_bottom():
    assert bottom_years_running({2025, 2026, 2027}, 2027)
    assert not bottom_years_running({2024, 2026, 2027}, 2027)
    assert not bottom_years_running({2025, 2026}, 2027)
