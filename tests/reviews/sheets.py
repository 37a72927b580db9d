"""A small template and whole sheets for it; tests change one row at a time."""

from __future__ import annotations

from reviews.scoring import (
    INTERPOLATED,
    BasicAnswer,
    BasicRequirement,
    Indicator,
    IndicatorGroup,
    ScoringTemplate,
    SheetEntry,
)


def small_template() -> ScoringTemplate:
    """管理体系 40 (two manual items of 10, one optional of 5) and 绩效 60 (two interpolated)."""
    return ScoringTemplate(
        code="test",
        version="1",
        title="测试模板",
        unit_type="factory",
        standard="GB/T 00000-0000",
        basic_requirements=(
            BasicRequirement("basic.legal", "依法设立"),
            BasicRequirement("basic.no_accident", "近三年无较大及以上安全、环保、质量等事故"),
        ),
        groups=(
            IndicatorGroup(
                "management",
                "管理体系",
                40,
                (
                    Indicator("management.energy", "能源管理体系", 10),
                    Indicator("management.environment", "环境管理体系", 10),
                    Indicator("management.report", "社会责任报告", 5, required=False),
                ),
            ),
            IndicatorGroup(
                "performance",
                "绩效",
                60,
                (
                    Indicator(
                        "performance.energy",
                        "单位产品综合能耗",
                        10,
                        method=INTERPOLATED,
                        baseline=120,
                        leading=80,
                        unit="kgce/t",
                    ),
                    Indicator(
                        "performance.reuse",
                        "废水处理回用率",
                        10,
                        method=INTERPOLATED,
                        baseline=30,
                        leading=80,
                        unit="%",
                    ),
                ),
            ),
        ),
    )


def all_met(template: ScoringTemplate, *, unmet: tuple[str, ...] = ()) -> list[BasicAnswer]:
    return [
        BasicAnswer(requirement.code, requirement.code not in unmet)
        for requirement in template.basic_requirements
    ]


def perfect_entries(template: ScoringTemplate, *, optional: bool = True) -> list[SheetEntry]:
    """Full marks on every item: the 引领值 for an interpolated one."""
    return [
        SheetEntry(indicator.code, value=indicator.leading)
        if indicator.is_interpolated
        else SheetEntry(indicator.code, points=indicator.max_points)
        for indicator in template.indicators
        if optional or indicator.required
    ]


def zero_entries(template: ScoringTemplate) -> list[SheetEntry]:
    """Nothing earned: 0 points, or the 基准值; optional items left blank."""
    return [
        SheetEntry(indicator.code, value=indicator.baseline)
        if indicator.is_interpolated
        else SheetEntry(indicator.code, points=0)
        for indicator in template.indicators
        if indicator.required
    ]


def with_entries(entries: list[SheetEntry], *changed: SheetEntry) -> list[SheetEntry]:
    """``entries`` with the rows of the same codes replaced by ``changed``."""
    by_code = {entry.code: entry for entry in changed}
    kept = [by_code.pop(entry.code, entry) for entry in entries]
    return kept + list(by_code.values())


def mark(code: str, points: object) -> SheetEntry:
    return SheetEntry(code, points=points)


def abstain(code: str, reason: str = "回避：曾为该企业提供咨询服务") -> SheetEntry:
    return SheetEntry(code, abstain_reason=reason)
