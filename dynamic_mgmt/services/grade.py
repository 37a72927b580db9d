"""企业绿码 for a year: grade the green factories that filed, store the grades, read them back.

:func:`grade_year` runs the pure :mod:`dynamic_mgmt.grading` over every group of the green
factories whose table for the year is filed. A group is one published list — the authority and
its level (a city's own list, a province's, the national one) — and one industry: a 洛阳 city
green factory is graded among 洛阳's, a national one among all national ones. It replaces that
year's ``GreenGrade`` rows in one transaction — running it twice leaves the same grades. The
indicators and their direction are the annual table's (dynamic_mgmt.indicators, the numeric
ones of a factory). The industry is the one the unit declared on its application, else an
``industry`` the table carries, else the group "未注明行业".

``python manage.py grade_year --year 2027`` runs it by hand; a scheduled task calls
:func:`run_grading`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy

from applications.models import UnitType
from dynamic_mgmt import grading
from dynamic_mgmt.indicators import indicators_for
from dynamic_mgmt.models import AnnualTable, GreenGrade
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee, scope_queryset
from greenmfg.core import clock
from registry.models import Listing

UNIT_TYPE = UnitType.FACTORY
UNKNOWN_INDUSTRY = "未注明行业"
INDUSTRY_MAX = GreenGrade._meta.get_field("industry").max_length
CHUNK = 2000
BATCH = 1000
METHOD = gettext_lazy(
    "在同一年度、同一名单（同一发布单位、同一层级）、同一行业已填报动态管理表的绿色工厂中，将各项关键指标换算为组内"
    "百分位（越低越好的指标取反），取平均为综合指数；前5%为A+，其后35%为A，其余为B。"
)


def criteria() -> list[grading.Criterion]:
    """The factory table's numeric indicators, each with its direction."""
    return [
        grading.Criterion(item.key, item.lower_is_better)
        for item in indicators_for(UNIT_TYPE)
        if item.is_numeric
    ]


def indicator_labels() -> dict[str, str]:
    return {item.key: str(item.label) for item in indicators_for(UNIT_TYPE)}


@dataclass
class GradeRun:
    year: int
    groups: int = 0
    graded: int = 0
    not_filed: int = 0
    no_indicators: int = 0
    bottom_three_years: list[int] = field(default_factory=list)
    by_grade: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "groups": self.groups,
            "graded": self.graded,
            "not_filed": self.not_filed,
            "no_indicators": self.no_indicators,
            "bottom_three_years": self.bottom_three_years,
            "by_grade": self.by_grade,
        }


def _filed_tables(year: int) -> QuerySet:
    return AnnualTable.objects.filter(
        year=year,
        status=AnnualTable.Status.FILED,
        listing__unit_type=UNIT_TYPE,
    ).exclude(listing__status=Listing.Status.REMOVED)


def _industry(declared: str | None, indicators: dict) -> str:
    industry = (declared or "").strip()
    if not industry and isinstance(indicators, dict):
        industry = str(indicators.get("industry") or "").strip()
    return (industry or UNKNOWN_INDUSTRY)[:INDUSTRY_MAX]


def grade_year(*, year: int) -> GradeRun:
    """Grade ``year``'s filed green factories and replace that year's grades."""
    run = GradeRun(year=year)
    groups: dict[tuple[int, str, str], list[grading.Filer]] = defaultdict(list)
    rows = _filed_tables(year).values_list(
        "listing_id",
        "listing__authority_id",
        "listing__level",
        "listing__application__industry",
        "indicators",
    )
    for listing_id, authority_id, level, declared, indicators in rows.iterator(chunk_size=CHUNK):
        values = indicators if isinstance(indicators, dict) else {}
        key = (authority_id, level, _industry(declared, values))
        groups[key].append(grading.Filer(listing_id, values))
    earlier: dict[int, set[int]] = defaultdict(set)
    for listing_id, graded_year in GreenGrade.objects.filter(
        year__in=(year - 1, year - 2), bottom_five=True
    ).values_list("listing_id", "year"):
        earlier[listing_id].add(graded_year)

    rules = criteria()
    grades = []
    for (_authority, _level, industry), filers in sorted(groups.items()):
        results = grading.grade_group(filers, rules)
        run.groups += 1
        run.no_indicators += len(filers) - len(results)
        for result in results:
            running = result.bottom_five and grading.bottom_years_running(
                earlier[result.key] | {year}, year
            )
            if running:
                run.bottom_three_years.append(result.key)
            run.by_grade[result.grade] = run.by_grade.get(result.grade, 0) + 1
            grades.append(
                GreenGrade(
                    listing_id=result.key,
                    year=year,
                    industry=industry,
                    grade=result.grade,
                    rank=result.rank,
                    of=result.of,
                    score=result.score,
                    basis={**result.basis, "bottom_three_years": running},
                    bottom_five=result.bottom_five,
                )
            )
    run.graded = len(grades)
    filed = _filed_tables(year).filter(listing=OuterRef("pk"))
    run.not_filed = (
        Listing.objects.filter(unit_type=UNIT_TYPE, year__lte=year)
        .exclude(status=Listing.Status.REMOVED)
        .exclude(Exists(filed))
        .count()
    )
    with transaction.atomic():
        GreenGrade.objects.filter(year=year).delete()
        GreenGrade.objects.bulk_create(grades, batch_size=BATCH)
    return run


def run_grading(year: int | None = None) -> dict:
    """For a scheduled task: grade ``year`` (by default last year, whose tables are in)."""
    return grade_year(year=year or clock.today().year - 1).as_dict()


# --- queries ----------------------------------------------------------------------------------


def grade_list(*, user) -> QuerySet[GreenGrade]:
    """The grades of the listed units of the official's subtree; a unit's users see their own."""
    queryset = GreenGrade.objects.select_related("listing__jurisdiction")
    return scope_queryset(
        queryset,
        user,
        jurisdiction_field="listing__jurisdiction",
        organisation_field="listing__organisation",
    )


def may_see_grades(*, user, listing: Listing) -> bool:
    """Officials whose subtree holds the unit, administrators, and the unit's own users."""
    if not user.is_authenticated:
        return False
    if user.role == Role.APPLICANT and user.organisation_id == listing.organisation_id:
        return True
    return (user.is_official or user.is_sysadmin) and can_oversee(user, listing.jurisdiction)


def grades_of_listing(*, listing: Listing) -> QuerySet[GreenGrade]:
    """A unit's grades over the years, latest first."""
    return GreenGrade.objects.filter(listing=listing).order_by("-year")


def public_grades(*, listing_ids) -> list[GreenGrade]:
    """The grades shown on a unit's public page (one query)."""
    return list(
        GreenGrade.objects.filter(listing_id__in=list(listing_ids))
        .select_related("listing")
        .order_by("-year", "listing__level", "pk")
    )


def basis_rows(grade: GreenGrade, *, with_values: bool) -> list[dict]:
    """The indicators a grade rests on, labelled, for a page (values only for officials)."""
    labels = indicator_labels()
    rows = []
    for key, item in (grade.basis.get("indicators") or {}).items():
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "percentile": item.get("percentile"),
                "lower_is_better": item.get("lower_is_better"),
                "reported_by": item.get("reported_by"),
                "value": item.get("value") if with_values else None,
            }
        )
    return rows
