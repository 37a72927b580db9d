"""The eligibility rules engine: which units a green manufacturing policy admits.

(绿色制造名单培育条件.) Pure Python: facts in, a :class:`Verdict` out; no Django, no database.
Each policy document is one module (``luoyang_2024``, ``jinan_2024``, ``dalian_2022_national``)
that reads like the document it encodes; ``negative_list`` holds the 近三年 conditions they
share. ``fact_schema`` describes the facts one policy reads for one unit type, for the portal's
form. The public contract is /work/shared/rules-contract.md: extend it, never rename.
"""

from greenmfg.rules.base import Finding, PolicyPeriod, Verdict
from greenmfg.rules.registry import (
    UNIT_TYPES,
    UnknownPolicy,
    UnsupportedUnitType,
    batch_period_finding,
    evaluate,
    meets_threshold,
    policies,
    policy_in_force,
    policy_period,
    promotion_verdict,
    threshold_finding,
    unit_types,
)
from greenmfg.rules.schema import FactSpec, fact_schema

__all__ = [
    "UNIT_TYPES",
    "FactSpec",
    "Finding",
    "PolicyPeriod",
    "UnknownPolicy",
    "UnsupportedUnitType",
    "Verdict",
    "batch_period_finding",
    "evaluate",
    "fact_schema",
    "meets_threshold",
    "policies",
    "policy_in_force",
    "policy_period",
    "promotion_verdict",
    "threshold_finding",
    "unit_types",
]
