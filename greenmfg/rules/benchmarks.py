"""对标: how a finding says where a reference value came from.

The portal computes, from its own listed units' filed annual tables, the median (and quartiles)
of each intensity among a region's green factories of one industry. The pre-check offers that
median as a reference value (大连 一(一)'s 本地区同行业已有绿色工厂; 济南 第六条6's 行业平均水平
where no published figure exists) and adds, beside it, the keys of
:data:`~.fact_keys.BENCHMARK_BASIS_KEYS`: the sample size and the source, or — when the portal
had too few factories — how many it had and the minimum. These words go into the message only;
the outcome depends on the reference value alone, however it was obtained.
"""

from __future__ import annotations

import dataclasses

from greenmfg.rules.base import FactProblem, Facts, Outcome, Rule, is_present
from greenmfg.rules.fact_keys import (
    BENCHMARK_MIN_SAMPLE,
    BENCHMARK_SOURCE,
    sample_shortfall_key,
    sample_size_key,
)

PLATFORM = "本平台同行业绿色工厂填报数据"


def _count(facts: Facts, key: str) -> int | None:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def basis(facts: Facts, key: str) -> str:
    """``（参考值为本平台济南市同行业绿色工厂2026年度填报数据中位数，样本12家）`` when ``key``'s
    value is the portal's median; empty otherwise (a figure entered by hand speaks for itself)."""
    size = _count(facts, sample_size_key(key))
    if size is None or not is_present(facts, key):
        return ""
    source = facts.get(BENCHMARK_SOURCE)
    source = source.strip() if isinstance(source, str) and source.strip() else PLATFORM
    return f"（参考值为{source}中位数，样本{size}家）"


def shortfall(facts: Facts, key: str) -> str:
    """``（本平台同行业绿色工厂填报数据仅3家，少于最低样本5家，未作为参考值）`` when the portal
    had too few factories for ``key``; empty otherwise."""
    size = _count(facts, sample_shortfall_key(key))
    if size is None:
        return ""
    minimum = _count(facts, BENCHMARK_MIN_SAMPLE)
    below = f"少于最低样本{minimum}家" if minimum else "样本不足"
    source = facts.get(BENCHMARK_SOURCE)
    source = source.strip() if isinstance(source, str) and source.strip() else PLATFORM
    return f"（{source}仅{size}家，{below}，未作为参考值）"


def noted(facts: Facts, key: str) -> str:
    """What a message adds about ``key``: its basis, or why the portal's figure was not used."""
    return basis(facts, key) or shortfall(facts, key)


def with_basis(rule: Rule, reference_key: str) -> Rule:
    """``rule`` (a comparison with ``reference_key``), its message saying where the reference
    value came from, and its missing-fact message why the portal's figure could not stand in."""
    compare = rule.check

    def check(facts: Facts) -> Outcome:
        try:
            outcome = compare(facts)
        except FactProblem as problem:
            note = shortfall(facts, reference_key)
            if note and reference_key in problem.missing:
                raise FactProblem(problem.message + note, problem.missing) from None
            raise
        return outcome._replace(message=outcome.message + noted(facts, reference_key))

    return dataclasses.replace(rule, check=check)
