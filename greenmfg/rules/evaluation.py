"""评价方式: how a policy has a unit evaluated, and which reports it must hand in for it.

Pure data, declared by each policy module as ``EVALUATION`` (unit type → :class:`Evaluation`)
and read through :func:`greenmfg.rules.reports.evaluation_for`. The documents differ:

- 洛阳 第十一条 and 济南 第九条: a unit evaluates itself *or* engages an agency, and hands in
  that one report; 洛阳's design products evaluate themselves.
- 大连 一（一）（三）（四） (附件2/4/5: 自评价报告及第三方评价报告): factories, parks and supply
  chains hand in both the self-evaluation and the engaged agency's report; design products (一
  （二）, 附件3) the self-evaluation only.
"""

from __future__ import annotations

from dataclasses import dataclass

SELF = "self"
THIRD_PARTY = "third_party"
SELF_EVALUATION = "self_evaluation"
THIRD_PARTY_REPORT = "third_party_report"


@dataclass(frozen=True)
class Evaluation:
    """The evaluation modes a unit type may choose under one policy, and each mode's reports.

    ``modes`` maps a mode (``self``, ``third_party``) to the report kinds it needs, in the order
    they are handed in; the first mode is the one a new application starts with.
    ``agency_uploads_report``: the third-party report comes from the engaged agency's own
    account, never from the applicant's.
    """

    modes: dict[str, tuple[str, ...]]
    article: str
    wording: str
    agency_uploads_report: bool = False

    @property
    def default_mode(self) -> str:
        return next(iter(self.modes))

    def allows(self, mode: str) -> bool:
        return mode in self.modes

    def reports(self, mode: str) -> tuple[str, ...]:
        """The reports of ``mode``; those of the default mode when ``mode`` is not allowed."""
        return self.modes.get(mode) or self.modes[self.default_mode]


def one_report_of_the_chosen_mode(*, article: str, document: str) -> Evaluation:
    return Evaluation(
        modes={SELF: (SELF_EVALUATION,), THIRD_PARTY: (THIRD_PARTY_REPORT,)},
        article=article,
        wording=f"采取自评价或委托第三方机构评价，提交自评价报告或第三方评价报告（{document}）",
    )


def self_evaluation_only(*, article: str, document: str) -> Evaluation:
    return Evaluation(
        modes={SELF: (SELF_EVALUATION,)},
        article=article,
        wording=f"由生产企业开展自评价，提交自评价报告，不采用第三方评价（{document}）",
    )


@dataclass(frozen=True)
class Intake:
    """申报受理: the levels of batch a unit applies to directly under one policy.

    Above them a candidate comes from the list below, recommended by its bureau (洛阳 第二十二条,
    济南 第十二条, the national notice: 各地区……遴选确定……推荐名单); it never applies itself.
    """

    levels: frozenset[str]
    article: str
    wording: str

    def accepts(self, level: str) -> bool:
        return level in self.levels


@dataclass(frozen=True)
class RoundEnd:
    """How a batch's round ends at one level under a policy: in a published list of its own
    (the default), or in a recommendation to the level named (大连 一: a 计划单列市 recommends
    straight to the ministry and keeps no city list)."""

    lists: bool = True
    recommends_to: str | None = None
    article: str = ""
    wording: str = ""


LISTS = RoundEnd()
