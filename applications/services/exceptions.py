"""原则上: a condition that fails, but may be excepted with a written reason.

A policy's 原则上 (济南 第七条 园区工业增加值占比、第八条 供应链企业本身为绿色工厂, 大连 一（一）
能效标杆水平) is still a requirement: the finding fails (``../shared/rules-contract.md``). The
applicant may submit nonetheless with a written reason for each such finding; the county must
accept each reason with one of its own before it recommends, or return the application; the
city reads both. A finding the document does not state 原则上 can never be excepted, and any
other failed finding still blocks submission.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, PrincipleException
from applications.precheck import run_precheck
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted

MIN_REASON_LENGTH = 10


def _failed_finding(findings: list[dict], code: str) -> dict | None:
    return next((f for f in findings if f["code"] == code and not f["passed"]), None)


def _clean_reason(reason: str, finding: dict, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("请就「%(citation)s %(message)s」填写不少于 %(min)d 个字的理由。")
            % {
                "citation": finding["citation"],
                "message": finding["message"],
                "min": MIN_REASON_LENGTH,
            },
            code="reason_too_short",
            field=field,
        )
    return reason


def principle_findings_without(*, findings: list[dict], codes: set[str]) -> list[dict]:
    """The failed 原则上 findings whose code is not among ``codes``: those without a reason
    from the applicant (the codes it explained), or without the county's acceptance (the codes
    it accepted)."""
    return [
        f for f in findings if not f["passed"] and f.get("in_principle") and f["code"] not in codes
    ]


@transaction.atomic
def exception_state(
    *, application: Application, actor, code: str, reason: str
) -> PrincipleException:
    """The applicant gives (or rewrites) its reason for a failed 原则上 finding.

    Rewriting a reason the county had accepted takes the acceptance back: the county accepted
    the words it read.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch", "organisation")
        .get(pk=application.pk)
    )
    if actor.role != Role.APPLICANT or actor.organisation_id != application.organisation_id:
        raise NotPermitted(_("只有申报单位本单位的账号可以说明理由。"))
    if not application.is_editable:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不能修改说明理由。")
            % {"state": application.get_status_display()},
            code="not_editable",
        )
    findings = run_precheck(application=application).findings
    finding = _failed_finding(findings, code)
    if finding is None:
        raise DomainError(
            _("资格自查中没有代码为「%(code)s」的不符合项，无须说明理由。") % {"code": code},
            code="no_such_finding",
            field="code",
        )
    if not finding.get("in_principle"):
        raise DomainError(
            _(
                "「%(citation)s %(message)s」不是政策规定“原则上”的条件，不符合即不能申报，"
                "不能以说明理由代替。"
            )
            % {"citation": finding["citation"], "message": finding["message"]},
            code="not_in_principle",
            field="code",
        )
    reason = _clean_reason(reason, finding)
    exception = PrincipleException.objects.filter(application=application, code=code).first()
    before = exception.reason if exception else ""
    if exception is None:
        exception = PrincipleException(application=application, code=code)
    exception.citation = finding["citation"]
    exception.finding = finding["message"]
    exception.reason = reason
    exception.stated_by = actor
    exception.stated_at = clock.now()
    if reason != before:
        exception.county_reason, exception.accepted_by, exception.accepted_at = "", None, None
    exception.save()
    audit_record(
        subject=application,
        actor=actor,
        action="principle_reason",
        action_label=_("说明原则上条件的理由"),
        comment=reason,
        data={"code": code, "citation": finding["citation"], "finding": finding["message"]},
    )
    return exception


@transaction.atomic
def exception_accept(
    *, application: Application, actor, code: str, reason: str
) -> PrincipleException:
    """The county accepts the applicant's reason, in writing, during its initial review."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch", "jurisdiction")
        .get(pk=application.pk)
    )
    if actor.role not in (Role.COUNTY_OFFICIAL, Role.SYSADMIN) or not can_oversee(
        actor, application.jurisdiction
    ):
        raise NotPermitted(_("原则上条件的理由由申报单位所在县（区）工信部门在初审中认可。"))
    if application.status != Application.Status.COUNTY_REVIEW:
        raise DomainError(
            _("申报当前状态为「%(state)s」，只能在初审中认可理由。")
            % {"state": application.get_status_display()},
            code="not_in_review",
        )
    exception = PrincipleException.objects.filter(application=application, code=code).first()
    if exception is None:
        raise DomainError(
            _("申报单位未就代码为「%(code)s」的条件说明理由。") % {"code": code},
            code="no_reason",
            field="code",
        )
    exception.county_reason = _clean_reason(
        reason, {"citation": exception.citation, "message": exception.finding}
    )
    exception.accepted_by = actor
    exception.accepted_at = clock.now()
    exception.save(update_fields=["county_reason", "accepted_by", "accepted_at"])
    audit_record(
        subject=application,
        actor=actor,
        action="principle_accept",
        action_label=_("认可原则上条件的理由"),
        comment=exception.county_reason,
        data={"code": code, "citation": exception.citation, "applicant_reason": exception.reason},
    )
    return exception


def recommend_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """Guard of 推荐: every failed 原则上 finding carries a reason the county accepted.

    Judged on the facts as they are now, under the transition's row lock.
    """
    findings = run_precheck(application=application).findings
    accepted = {e.code for e in application.principle_exceptions.all() if e.is_accepted}
    pending = principle_findings_without(findings=findings, codes=accepted)
    return [
        _(
            "「%(citation)s %(message)s」为原则上条件，推荐前须认可申报单位的理由并写明认可理由，"
            "或退回修改。"
        )
        % {"citation": f["citation"], "message": f["message"]}
        for f in pending
    ]
