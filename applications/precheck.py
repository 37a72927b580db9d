"""资格自查: run the batch's policy over what is known of an application.

What is known comes from five places, kept apart so that each finding can say where its data
came from: the applicant's own declarations (``Application.facts``), the industry reference
values a bureau published for the applicant's industry (``IndustryReference``), those the county
entered on this application (``Application.reference_facts``, which win), the portal's medians of
the city's green factories of the industry (``IndustryBenchmark``, 对标), and the credit data
officials imported (``CreditEvent``). Credit data that reports a problem overrides a declaration
that there is none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from applications.models import Application
from applications.selectors.benchmarks import region_benchmarks
from applications.selectors.credit import credit_facts
from applications.selectors.industry import industry_reference_values
from greenmfg.core import clock
from greenmfg.rules import evaluate
from greenmfg.rules.fact_keys import (
    BENCHMARK_MIN_SAMPLE,
    BENCHMARK_SOURCE,
    BENCHMARKED_FACTS,
    sample_shortfall_key,
    sample_size_key,
)
from greenmfg.rules.registry import get_policy

DECLARED = "申报单位填报"
REFERENCE = "县级工信部门录入"
# 大连 一(一) compares with the region's existing green factories: the portal's own figure of
# them is the better one, a bureau's entry the fallback.
PLATFORM_FIRST = "regional_green_factory_"


@dataclass(frozen=True)
class Precheck:
    eligible: bool
    findings: list[dict]
    facts: dict
    sources: dict[str, str]

    def as_json(self) -> dict:
        return {
            "eligible": self.eligible,
            "findings": self.findings,
            "checked_at": clock.now().isoformat(),
        }


def gather_facts(
    *, application: Application, as_of: date | None = None
) -> tuple[dict, dict[str, str]]:
    """The facts the rules see, and for each fact the source it came from."""
    facts: dict = {}
    sources: dict[str, str] = {}
    published = industry_reference_values(
        jurisdiction=application.jurisdiction,
        industry=application.industry,
        year=application.batch.year,
    )
    for key, (value, source) in published.items():
        facts[key], sources[key] = value, source
    for key, value in application.reference_facts.items():
        facts[key], sources[key] = value, _(REFERENCE)
    for key, value in application.facts.items():
        if value is not None:
            facts[key], sources[key] = value, _(DECLARED)
    entered = {key for key, source in sources.items() if source in (_(REFERENCE), _(DECLARED))}
    _add_benchmarks(facts, sources, application=application, published=published, own=entered)
    as_of = as_of or clock.today()
    for key, credit in credit_facts(
        credit_code=application.organisation.credit_code, as_of=as_of
    ).items():
        # A problem on record counts even when the applicant declared none; a clean record
        # does not erase a problem the applicant declared.
        if credit.value or key not in facts:
            facts[key], sources[key] = credit.value, credit.source
    for provider in _FACT_PROVIDERS:
        for key, (value, source) in provider(application=application, as_of=as_of).items():
            facts[key], sources[key] = value, source
    return facts, sources


def _add_benchmarks(
    facts: dict, sources: dict[str, str], *, application: Application, published: dict, own: set
) -> None:
    """对标: the portal's medians of the applicant's city's green factories of its industry.

    大连 一(一)'s 本地区同行业已有绿色工厂 (``regional_green_factory_*``) take the portal's figure
    over one a bureau published; 济南's 同行业平均 (``industry_avg_*``) take it only where none was
    published. A figure the county entered on the application, or the applicant declared
    (``own``), is never replaced. Beside each figure used go its sample size and source; where the
    sample is below the minimum, the size and the minimum, so that the finding says why the
    portal's figure was not used (greenmfg.rules.benchmarks).

    An applicant that is itself one of the city's green factories (a city-listed factory
    applying to a higher list, or under re-review) is left out of the sample it is compared
    with, and the source says so (「不含申报单位本身」).
    """
    benchmarks = region_benchmarks(
        jurisdiction=application.jurisdiction,
        industry=application.industry,
        year=application.batch.year,
        exclude_organisation=application.organisation_id,
    )
    for key, indicator in BENCHMARKED_FACTS.items():
        benchmark = benchmarks.get(indicator)
        if benchmark is None or key in own:
            continue
        facts[BENCHMARK_SOURCE] = benchmark.source
        if not benchmark.sufficient:
            facts[sample_shortfall_key(key)] = benchmark.sample_size
            facts[BENCHMARK_MIN_SAMPLE] = benchmark.minimum
            continue
        if key in published and not key.startswith(PLATFORM_FIRST):
            continue
        facts[key], sources[key] = benchmark.median, benchmark.described
        facts[sample_size_key(key)] = benchmark.sample_size


# --- facts the apps above know ------------------------------------------------------------------
# registry/ knows whether the unit was removed from a list (``removed_from_list``). It registers
# a provider in its AppConfig.ready(), so that this app reads no model above it.

FactProvider = Callable[..., dict[str, tuple[object, str]]]

_FACT_PROVIDERS: list[FactProvider] = []


def register_fact_provider(provider: FactProvider) -> None:
    """``provider(application=, as_of=)`` returns ``{key: (value, source)}``, its facts winning
    over what was declared."""
    if provider not in _FACT_PROVIDERS:
        _FACT_PROVIDERS.append(provider)


def run_precheck(*, application: Application, as_of: date | None = None) -> Precheck:
    policy = application.batch.policy
    facts, sources = gather_facts(application=application, as_of=as_of)
    verdict = evaluate(policy, application.unit_type, facts)
    reads = {rule.code: rule.reads for rule in get_policy(policy).rules[application.unit_type]}
    findings = []
    for finding in verdict.findings:
        keys = reads.get(finding.code, ())
        finding_sources = sorted(
            {sources[key] for key in keys if key in sources and sources[key] != _(DECLARED)}
        )
        findings.append(
            {
                "code": finding.code,
                "article": finding.article,
                "citation": finding.citation,
                "passed": finding.passed,
                "message": finding.message,
                "in_principle": finding.in_principle,
                "advisory": finding.advisory,
                "missing_facts": list(finding.missing_facts),
                "sources": finding_sources,
            }
        )
    return Precheck(eligible=verdict.eligible, findings=findings, facts=facts, sources=sources)
