"""The energy-efficiency requirement on factories, which each document words differently.

- 洛阳 第七条(二): key sectors 应达到 标杆水平; others 应达到 限额标准先进值或1级水平.
- 大连 一(一): key sectors 原则上 达到或优于 标杆值; others 原则上 达到或优于
  限额标准先进值 (1级 is not named, so it does not satisfy).
- 济南 第十一条: the same ladder as 洛阳, but only 优先推荐, so it never fails
  (an advisory finding).

``key_energy_sector`` tells whether the factory's sector has a published benchmark
(重点领域／重点用能行业); the documents' "未规定能效标杆值的行业" is exactly its negation.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from greenmfg.rules.base import Facts, Outcome, Rule, read_bool, read_choice, require

# Defined with the other fact keys, so the form offers exactly the levels this rule accepts.
from greenmfg.rules.fact_keys import ENERGY_EFFICIENCY_LEVELS as ENERGY_EFFICIENCY_LEVELS


class LevelRequirement(NamedTuple):
    """The levels that satisfy a document, and how the document names the requirement."""

    accepted: Collection[str]
    wording: str


def energy_efficiency_rule(
    code: str,
    *,
    article: str,
    key_sector: LevelRequirement,
    other_sector: LevelRequirement,
    clause: str = "",
    in_principle: bool = False,
    advisory: bool = False,
) -> Rule:
    def check(facts: Facts) -> Outcome:
        require(facts, "key_energy_sector", "energy_efficiency_level")
        is_key_sector = read_bool(facts, "key_energy_sector")
        level = read_choice(facts, "energy_efficiency_level", ENERGY_EFFICIENCY_LEVELS)
        requirement = key_sector if is_key_sector else other_sector
        passed = level in requirement.accepted
        sector = "重点领域行业" if is_key_sector else "其他行业（未规定能效标杆值）"
        verb = "达到" if passed else "未达到"
        message = (
            f"{sector}，能效水平为{ENERGY_EFFICIENCY_LEVELS[level]}，{verb}{requirement.wording}"
        )
        return Outcome(passed, message, {"key_energy_sector": is_key_sector, "level": level})

    return Rule(
        code,
        article,
        check,
        clause=clause,
        in_principle=in_principle,
        advisory=advisory,
        reads=("key_energy_sector", "energy_efficiency_level"),
    )
