"""企业绿码: a year's grades of the green factories of one level and industry, from the key
indicators each filed.

Pure Python. The method, for one group (one year, one published list — an authority's
list of one level — and one industry; the units that filed their table):

1. Each indicator becomes a percentile rank within the group, from 0 (worst) to 100 (best):
   the mid-rank ``(worse + ½·tied + ½) / n × 100`` over the units that reported it — an
   indicator where lower is better (energy, water, emissions, carbon per unit) is reversed, so
   that 100 is always the best. A unit alone on an indicator sits at 50.
2. The composite index is the mean of the unit's percentile ranks (over the indicators it
   reported); a unit that reported none has no index and gets no grade, like a unit that did
   not file at all.
3. Ranked by index: **A+** the best 5% — ``ceil(5% × n)``, so a non-empty group always has one;
   **A** the next 35% — ``round(35% × n)``, halves rounded up; **B** the rest. 20 units give
   1 A+, 7 A and 12 B; 3 units give 1, 1 and 1; a single unit is A+. Units tied with the last
   unit of a band share that band (nobody is graded down for a tie).
4. The bottom 5% (``ceil(5% × n)`` from the end, ties included) are marked — only among the B
   grades, so that a group too small to have a bottom is not marked. A unit marked three years
   running (this year and the two before) is flagged for review.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

A_PLUS, A, B = "A+", "A", "B"
A_PLUS_SHARE = Decimal("0.05")
A_SHARE = Decimal("0.35")
BOTTOM_SHARE = Decimal("0.05")
SCORE_QUANTUM = Decimal("0.0001")
RUNNING_YEARS = 3


@dataclass(frozen=True)
class Criterion:
    """An indicator the grade reads, and which way is better."""

    key: str
    lower_is_better: bool


@dataclass(frozen=True)
class Filer:
    """A unit that filed: its key (the listing) and its indicator values."""

    key: Hashable
    values: Mapping[str, object]


@dataclass(frozen=True)
class Graded:
    key: Hashable
    grade: str
    rank: int
    of: int
    score: Decimal
    basis: dict
    bottom_five: bool


def band_sizes(count: int) -> tuple[int, int, int]:
    """How many A+, A and bottom-5% places a group of ``count`` units has."""
    if count <= 0:
        return 0, 0, 0
    a_plus = math.ceil(count * A_PLUS_SHARE)
    a = int((count * A_SHARE).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    a = min(a, count - a_plus)
    bottom = math.ceil(count * BOTTOM_SHARE)
    return a_plus, a, bottom


def numeric(value) -> float | None:
    """A finite number from a table's value; None for anything else (text, yes/no, empty)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def percentile_ranks(values: Mapping[Hashable, float], *, lower_is_better: bool) -> dict:
    """Each unit's mid-rank percentile (0–100, higher is better) among ``values``."""
    ordered = sorted(values.values())
    count = len(ordered)
    ranks = {}
    for key, value in values.items():
        below = bisect.bisect_left(ordered, value)
        above = count - bisect.bisect_right(ordered, value)
        tied = count - below - above - 1
        worse = above if lower_is_better else below
        ranks[key] = (worse + 0.5 * tied + 0.5) / count * 100
    return ranks


def grade_group(filers: Iterable[Filer], criteria: Sequence[Criterion]) -> list[Graded]:
    """The grades of one group, best first. Filers without any criterion's value get none."""
    filers = list(filers)
    by_criterion: dict[str, dict[Hashable, float]] = {}
    raw: dict[Hashable, dict[str, float]] = {filer.key: {} for filer in filers}
    for criterion in criteria:
        values = {}
        for filer in filers:
            number = numeric(filer.values.get(criterion.key))
            if number is not None:
                values[filer.key] = number
                raw[filer.key][criterion.key] = number
        if values:
            by_criterion[criterion.key] = percentile_ranks(
                values, lower_is_better=criterion.lower_is_better
            )
    scored = []
    for filer in filers:
        ranks = {
            criterion.key: by_criterion[criterion.key][filer.key]
            for criterion in criteria
            if filer.key in by_criterion.get(criterion.key, {})
        }
        if not ranks:
            continue
        score = (Decimal(sum(ranks.values())) / len(ranks)).quantize(
            SCORE_QUANTUM, rounding=ROUND_HALF_UP
        )
        scored.append((filer.key, score, ranks))
    scored.sort(key=lambda item: (-item[1], item[0]))
    count = len(scored)
    if not count:
        return []
    a_plus, a, bottom = band_sizes(count)
    scores = [score for _key, score, _ranks in scored]
    cut_a_plus = scores[a_plus - 1]
    cut_a = scores[a_plus + a - 1] if a else None
    cut_bottom = scores[count - bottom]
    directions = {criterion.key: criterion.lower_is_better for criterion in criteria}
    results = []
    for key, score, ranks in scored:
        if score >= cut_a_plus:
            grade = A_PLUS
        elif cut_a is not None and score >= cut_a:
            grade = A
        else:
            grade = B
        rank = 1 + sum(1 for other in scores if other > score)
        basis = {
            "method": "percentile_mean",
            "group_size": count,
            "bands": {A_PLUS: a_plus, A: a, B: count - a_plus - a},
            "indicators": {
                indicator: {
                    "value": raw[key][indicator],
                    "percentile": round(percentile, 2),
                    "lower_is_better": directions[indicator],
                    "reported_by": len(by_criterion[indicator]),
                }
                for indicator, percentile in ranks.items()
            },
        }
        results.append(
            Graded(
                key=key,
                grade=grade,
                rank=rank,
                of=count,
                score=score,
                basis=basis,
                bottom_five=grade == B and score <= cut_bottom,
            )
        )
    return results


def bottom_years_running(bottom_years: Iterable[int], year: int) -> bool:
    """True when the unit sat in the bottom 5% in ``year`` and the two years before it."""
    return set(range(year - RUNNING_YEARS + 1, year + 1)) <= set(bottom_years)
