"""Who applies to a batch and how it is evaluated, per policy (:mod:`greenmfg.rules.evaluation`)."""

from greenmfg.rules import dalian_2022_national, jinan_2024, luoyang_2024
from greenmfg.rules.evaluation import LISTS, Evaluation, Intake, RoundEnd
from greenmfg.rules.registry import UnsupportedUnitType, get_policy

_EVALUATIONS: dict[str, dict[str, Evaluation]] = {
    "luoyang-2024": luoyang_2024.EVALUATION,
    "jinan-2024": jinan_2024.EVALUATION,
    "dalian-2022-national": dalian_2022_national.EVALUATION,
}


_INTAKES: dict[str, Intake] = {
    "luoyang-2024": luoyang_2024.INTAKE,
    "jinan-2024": jinan_2024.INTAKE,
    "dalian-2022-national": dalian_2022_national.INTAKE,
}


def intake_for(policy: str) -> Intake:
    """The levels of batch a unit applies to directly under ``policy``."""
    get_policy(policy)  # an unknown policy raises UnknownPolicy with its message
    return _INTAKES[policy]


_ROUND_ENDS: dict[str, dict[str, RoundEnd]] = {
    "dalian-2022-national": dalian_2022_national.ROUND_ENDS,
}


def round_end(policy: str, level: str) -> RoundEnd:
    """How a ``policy`` batch at ``level`` ends: its own list (the default), or a recommendation
    to the level above (大连 一)."""
    get_policy(policy)  # an unknown policy raises UnknownPolicy with its message
    return _ROUND_ENDS.get(policy, {}).get(level, LISTS)


def evaluation_for(policy: str, unit_type: str) -> Evaluation:
    """How ``policy`` has a ``unit_type`` evaluated; ``UnknownPolicy`` / ``UnsupportedUnitType``
    as :func:`greenmfg.rules.evaluate` raises them."""
    get_policy(policy)  # an unknown policy raises UnknownPolicy with its message
    from_policy = _EVALUATIONS[policy]
    if unit_type not in from_policy:
        raise UnsupportedUnitType(policy, unit_type, list(from_policy))
    return from_policy[unit_type]
