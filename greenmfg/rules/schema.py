"""Which facts a policy reads for a unit type, described for the portal's form.

The web application renders a form for exactly the facts the rules of one (policy, unit type)
read. The list is derived, not written down a second time: each :class:`~.base.Rule` declares the
keys it reads (``Rule.reads``, filled in by the helper constructors), and each key's name, kind,
unit, section and choices come from the one table in :mod:`.fact_keys`. A rule that starts
reading a new key therefore puts it on the form, and cannot read a key the table lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from greenmfg.rules.base import Condition, Rule
from greenmfg.rules.fact_keys import FACTS, FactKind
from greenmfg.rules.registry import policy_rules


@dataclass(frozen=True)
class FactSpec:
    """One fact the form asks for.

    ``kind`` is ``bool``, ``number`` (non-negative), ``percentage`` (0–100), ``choice`` (one of
    ``choices``) or ``text`` (non-empty). ``choices`` are (value, Chinese label) pairs: the only
    values a ``choice`` fact accepts, but mere suggestions for a ``text`` fact — ``industry``
    is free text in the contract (any industry name), and only electronics, machinery and
    automotive have codes of their own, so the form should offer those three and accept others.

    ``articles`` are the citations (``第八条(一)``, ``第六条第5项``) of the rules that read the
    fact. ``industry_average`` marks a reference value for the industry or the city, entered by
    the county official rather than the enterprise; ``credit_data`` marks a negative-list fact
    the officials' imported credit data can supply.

    ``required_when`` is ``(key, value)`` for a fact needed only once the fact ``key`` has that
    value (``chemical_park_recognised`` once ``is_chemical_park`` is true); ``key`` is itself on
    the form and may be conditional in turn, so a form hides a chain of them from the first
    unmet link. ``None`` means always needed. ``alternatives`` (an extension) names other facts
    that may be given instead of this one: 济南's 能耗限额 or, where no standard sets one, the
    industry average.
    """

    key: str
    label: str
    kind: FactKind
    choices: tuple[tuple[str, str], ...] = ()
    unit: str = ""
    group: str = ""
    articles: tuple[str, ...] = ()
    industry_average: bool = False
    credit_data: bool = False
    required_when: Condition | None = None
    alternatives: tuple[str, ...] = ()


@dataclass
class _Reading:
    """What the rules of one unit type say about one key, gathered before it becomes a spec."""

    position: int
    articles: list[str] = field(default_factory=list)
    conditions: list[Condition | None] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)


def fact_schema(policy: str, unit_type: str) -> list[FactSpec]:
    """Every fact key the rules of ``policy`` read for ``unit_type``, once each, for a form.

    Ordered as the document is: sections in the order the document first touches them, and
    within a section the facts in the order the rules read them. Raises
    :class:`~.registry.UnknownPolicy` / :class:`~.registry.UnsupportedUnitType` as ``evaluate``
    does.
    """
    readings = _gather(policy_rules(policy, unit_type))
    section_order: dict[str, int] = {}
    for key in readings:  # dicts keep insertion order: the order of first reading
        section_order.setdefault(FACTS[key].group, len(section_order))
    ordered = sorted(
        readings, key=lambda key: (section_order[FACTS[key].group], readings[key].position)
    )
    return [_spec(key, readings[key]) for key in ordered]


def _gather(rules: tuple[Rule, ...]) -> dict[str, _Reading]:
    readings: dict[str, _Reading] = {}
    for rule in rules:
        for key in rule.reads:
            reading = readings.setdefault(key, _Reading(position=len(readings)))
            if rule.citation not in reading.articles:
                reading.articles.append(rule.citation)
            reading.conditions.append(rule.required_when.get(key))
            for group in rule.alternatives:
                if key in group:
                    reading.alternatives.extend(
                        other
                        for other in group
                        if other != key and other not in reading.alternatives
                    )
    return readings


def _merged_condition(conditions: list[Condition | None]) -> Condition | None:
    # A fact one rule always needs is always needed. Two rules needing it in different cases
    # cannot be said with one (key, value), so the form asks for it always: asking too much is
    # safe, asking too little leaves a finding failed for a missing fact.
    first = conditions[0]
    return first if all(condition == first for condition in conditions) else None


def _spec(key: str, reading: _Reading) -> FactSpec:
    definition = FACTS[key]
    return FactSpec(
        key=key,
        label=definition.label,
        kind=definition.kind,
        choices=definition.choices,
        unit=definition.unit,
        group=definition.group,
        articles=tuple(reading.articles),
        industry_average=definition.industry_average,
        credit_data=definition.credit_data,
        required_when=_merged_condition(reading.conditions),
        alternatives=tuple(reading.alternatives),
    )
