"""变更: a listed unit reports a name change or a major change of scope, address or boundary.

Which article governs each kind of change, and its deadline, is policy data
(policy.CHANGE_RULES): 洛阳 第十九条 — every kind within one month of the formalities, a month
whose last day is a rest day ending on the next working day (民法典 第二百零三条,
workdays.period_end); 济南 第二十条 — a name change within 30 working days on the official
calendar with its make-up days (calendar_services.count_working_days); 济南 第十六条 — a major
change of scope, address or boundary is reported 及时 (no number of days) and needs re-evaluation
with a revised evaluation report; the 大连 notice sets none. A count into a year nobody has
entered warns, and the warning stays on the report. A report after its deadline is flagged late,
never refused.

The county reviews (县级审核, its opinion recorded, the state unchanged) and the city — or a
level above — decides: it confirms the change (a name change renames the listing through
registry.services.history, which keeps the former name and announces it), sends it to
re-evaluation (济南 第十六条), or finds the unit no longer meets the standard, which opens a
removal proposal for the listing's authority.

Where the policy's rule asks for re-evaluation (ChangeRule.re_evaluation, 济南 第十六条:
提交修正后的评价报告), the unit uploads the revised evaluation report while the report is
再评价中, and the change is confirmed only once a version is there. Every file goes through
the applications' content checks, is stored under its checksum and kept as a numbered version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.uploads import (
    REPORT_MAX_BYTES,
    SUPPORTING_MAX_BYTES,
    CheckedFile,
    check_upload,
)
from dynamic_mgmt.models import ChangeDocument, ChangeReport
from dynamic_mgmt.policy import RE_EVALUATION_NOTE, change_rule, listing_policy
from dynamic_mgmt.removal_grounds import CHANGE_GROUNDS
from dynamic_mgmt.services.calendar import count_working_days
from dynamic_mgmt.services.removal import propose_removal
from dynamic_mgmt.workdays import PeriodEnd, add_months, period_end
from dynamic_mgmt.workflow import COUNTY_REVIEW, change_workflow
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee, scope_queryset
from greenmfg.audit.models import AuditEntry
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition, transition_refusals
from greenmfg.core.workflow import Transition
from greenmfg.directory.models import Jurisdiction, Level
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from registry.models import Listing, ListingEvent, RemovalProposal
from registry.services import history as history_services

S = ChangeReport.Status
K = ChangeReport.Kind
DOC = ChangeDocument.Kind
OPEN_STATES = (S.SUBMITTED, S.RE_EVALUATION)
VALUE_MAX = ChangeReport._meta.get_field("new_value").max_length
WARNING_MAX = ChangeReport._meta.get_field("calendar_warning").max_length
# What the registry's history records for each kind of change.
EVENT_KINDS = {
    K.SCOPE: ListingEvent.Kind.SCOPE_CHANGE,
    K.ADDRESS: ListingEvent.Kind.SCOPE_CHANGE,
    K.BOUNDARY: ListingEvent.Kind.BOUNDARY_CHANGE,
}
# The article a removal proposal cites when a change leaves the unit below the standard.
REJECTION_ARTICLES = {
    "luoyang-2024": "第十九条",
    "jinan-2024": "第十六条",
    "dalian-2022-national": "三",
}
# How a refusal names the document it cites: the city, then the article (济南 第十六条).
POLICY_CITIES = {"luoyang-2024": "洛阳", "jinan-2024": "济南", "dalian-2022-national": "大连"}
# What each kind of file may be: the report is a PDF (as an application's evaluation report);
# supporting material may also be a scan.
DOCUMENT_CHECKS = {
    DOC.REVISED_REPORT: {"pdf_only": True, "max_bytes": REPORT_MAX_BYTES},
    DOC.SUPPORTING: {"pdf_only": False, "max_bytes": SUPPORTING_MAX_BYTES},
}


# --- deadlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due_on: datetime.date | None
    basis: str
    warning: str = ""
    article: str = ""
    note: str = ""  # 民法典 第二百零三条: why the last day moved past a rest day


def change_deadline(policy: str, kind: str, formalities_on: datetime.date) -> Deadline:
    """When the policy wants a change of ``kind`` reported, counted from the formalities
    (policy.CHANGE_RULES says which article governs which kind)."""
    rule = change_rule(policy, kind)
    basis = str(rule.basis)
    if rule.months:
        # A period counted in months ends on the next working day when its last day is a rest
        # day (民法典 第二百零三条).
        end = period_end(add_months(formalities_on, rule.months))
        warning = "".join(end.warnings)[:WARNING_MAX]
        return Deadline(end.date, basis, warning, rule.article, end.note)
    if rule.working_days:
        count = count_working_days(formalities_on, rule.working_days)
        warning = "".join(count.warnings)[:WARNING_MAX]
        return Deadline(count.date, basis, warning, rule.article)
    return Deadline(None, basis, "", rule.article)


@dataclass(frozen=True)
class ChangeTerms:
    """What the report page and the API show of the rule a report falls under."""

    article: str
    basis: str
    timely: bool
    re_evaluation: bool
    re_evaluation_note: str
    period_note: str


def change_terms(report: ChangeReport) -> ChangeTerms:
    """The governing article and deadline of ``report``, from the stored dates (no query
    beyond the listing's policy)."""
    rule = change_rule(listing_policy(report.listing), report.kind)
    note = ""
    if rule.months and report.due_on:
        nominal = add_months(report.formalities_on, rule.months)
        if nominal != report.due_on:
            note = PeriodEnd(nominal, report.due_on).note
    return ChangeTerms(
        article=rule.article,
        basis=str(rule.basis),
        timely=rule.timely,
        re_evaluation=rule.re_evaluation,
        re_evaluation_note=str(RE_EVALUATION_NOTE) if rule.re_evaluation else "",
        period_note=note,
    )


def deadline_basis(report: ChangeReport) -> str:
    return change_terms(report).basis


# --- who --------------------------------------------------------------------------------------


def may_report(*, user, listing: Listing) -> bool:
    """The listed unit's own users."""
    return bool(
        user.is_authenticated
        and user.role == Role.APPLICANT
        and user.organisation_id
        and user.organisation_id == listing.organisation_id
    )


def may_handle(*, user, report: ChangeReport) -> bool:
    """Officials whose subtree holds the unit (the county reviews, the city decides)."""
    return bool(
        user.is_authenticated
        and user.is_official
        and can_oversee(user, report.listing.jurisdiction)
    )


def may_download(*, user, report: ChangeReport) -> bool:
    """A report's files: the unit's own users and the officials who may handle the report."""
    return may_report(user=user, listing=report.listing) or may_handle(user=user, report=report)


def uploadable_kinds(*, user, report: ChangeReport) -> list[str]:
    """What the unit may upload now: supporting material while the report is open, the revised
    evaluation report while it is 再评价中."""
    if report.status not in OPEN_STATES or not may_report(user=user, listing=report.listing):
        return []
    kinds = [DOC.REVISED_REPORT] if report.status == S.RE_EVALUATION else []
    return [*kinds, DOC.SUPPORTING]


def citation(report: ChangeReport) -> str:
    """The city and article of the rule ``report`` falls under, e.g. 济南 第十六条."""
    policy = listing_policy(report.listing)
    return f"{POLICY_CITIES.get(policy, '')} {change_rule(policy, report.kind).article}".strip()


def needs_revised_report(report: ChangeReport) -> bool:
    """The policy's rule for this kind asks for re-evaluation with a revised report (济南 第十六条:
    提交修正后的评价报告)."""
    return change_rule(listing_policy(report.listing), report.kind).re_evaluation


def latest_revised_report(report: ChangeReport) -> ChangeDocument | None:
    return report.documents.filter(kind=DOC.REVISED_REPORT).order_by("-number").first()


def awaits_revised_report(report: ChangeReport, action: str) -> bool:
    """济南 第十六条: 确认变更 follows the review of the revised report, so it waits for one."""
    return (
        action == "approve"
        and report.status == S.RE_EVALUATION
        and needs_revised_report(report)
        and latest_revised_report(report) is None
    )


def county_opinion(report: ChangeReport) -> AuditEntry | None:
    """The county's review of the report (its opinion is the entry's comment)."""
    return audit_entries_for(subject=report).filter(action=COUNTY_REVIEW).first()


def needs_county_review(report: ChangeReport) -> bool:
    return report.listing.jurisdiction.level == Level.COUNTY


def skips_re_evaluation(report: ChangeReport, action: str) -> bool:
    """济南 第十六条: a major change is confirmed only after re-evaluation of the revised report,
    so 确认变更 straight from 待审核 is not offered (the city sends it to 再评价 first)."""
    return (
        action == "approve"
        and report.status == S.SUBMITTED
        and change_rule(listing_policy(report.listing), report.kind).re_evaluation
    )


def available_transitions(*, user, report: ChangeReport, reviewed: bool) -> list[Transition]:
    """What the user may do now: the county once, the city after the county."""
    if not may_handle(user=user, report=report):
        return []
    waiting = needs_county_review(report) and not reviewed
    transitions = []
    for transition in change_workflow.available(report.status, user.effective_role):
        if transition.action == COUNTY_REVIEW and reviewed:
            continue
        if transition.action != COUNTY_REVIEW and waiting and report.status == S.SUBMITTED:
            continue
        if skips_re_evaluation(report, transition.action):
            continue
        if awaits_revised_report(report, transition.action):
            continue
        transitions.append(transition)
    return transitions


# --- queries ----------------------------------------------------------------------------------


def change_documents(report: ChangeReport) -> QuerySet[ChangeDocument]:
    """The report's files, the revised report first, newest version first."""
    return report.documents.select_related("uploaded_by").order_by("kind", "-number")


def change_list(*, user) -> QuerySet[ChangeReport]:
    """Officials: the reports of their subtree. The unit's users: their own unit's."""
    queryset = ChangeReport.objects.select_related(
        "listing__jurisdiction",
        "listing__authority__jurisdiction",
        "listing__batch",
        "reported_by",
        "decided_by",
    )
    return scope_queryset(
        queryset,
        user,
        jurisdiction_field="listing__jurisdiction",
        organisation_field="listing__organisation",
    )


def reportable_listings(*, user) -> QuerySet[Listing]:
    """The listings the user's unit may report a change of: its own, still on the list."""
    if not user.is_authenticated or user.role != Role.APPLICANT or not user.organisation_id:
        return Listing.objects.none()
    return (
        Listing.objects.filter(organisation_id=user.organisation_id)
        .exclude(status=Listing.Status.REMOVED)
        .select_related("jurisdiction", "authority", "batch")
        .order_by("-listed_on", "pk")
    )


# --- commands ---------------------------------------------------------------------------------


def _link(report: ChangeReport) -> str:
    return reverse("dynamic_mgmt:change-detail", args=[report.pk])


def _city_of(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    if jurisdiction.level == Level.CITY:
        return jurisdiction
    return Jurisdiction.objects.filter(key__in=jurisdiction.ancestor_keys, level=Level.CITY).first()


def _notify_officials(jurisdiction: Jurisdiction | None, *, subject: str, body: str, link: str):
    if jurisdiction is None:
        return
    for official in officials_of(jurisdiction=jurisdiction):
        notify(recipient=official, subject=subject, body=body, link=link)


@transaction.atomic
def change_report_submit(
    *,
    listing: Listing,
    actor,
    kind: str,
    new_value: str,
    formalities_on: datetime.date,
    description: str,
    old_value: str = "",
    attachment=None,
) -> ChangeReport:
    """The unit reports a change after its formalities; late reports are accepted and flagged.
    ``attachment`` is optional supporting material, checked like any upload."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "authority__jurisdiction", "batch")
        .get(pk=listing.pk)
    )
    if not may_report(user=actor, listing=listing):
        raise NotPermitted(_("只有名单单位本单位的用户可以上报变更。"))
    if listing.status == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单，无需上报变更。"), code="removed")
    errors = {}
    if kind not in K.values:
        errors["kind"] = _("请选择变更类别。")
    new_value, old_value = " ".join(new_value.split()), " ".join(old_value.split())
    description = description.strip()
    if kind == K.NAME and not old_value:
        old_value = listing.unit_name
    if not new_value:
        errors["new_value"] = _("请填写变更后的情况。")
    elif len(new_value) > VALUE_MAX or len(old_value) > VALUE_MAX:
        errors["new_value"] = _("变更前后的情况各不能超过 %(n)d 个字，详情请写入变更说明。") % {
            "n": VALUE_MAX
        }
    elif kind == K.NAME and new_value == listing.unit_name:
        errors["new_value"] = _("变更后的名称与名单上的名称相同。")
    if not description:
        errors["description"] = _("请填写变更说明。")
    today = clock.today()
    if formalities_on > today:
        errors["formalities_on"] = _("办理完相关手续的日期不能晚于今天。")
    elif formalities_on < listing.listed_on:
        errors["formalities_on"] = _("日期不能早于列入名单的日期（%(date)s）。") % {
            "date": listing.listed_on.isoformat()
        }
    checked = None
    if attachment is not None:
        try:
            checked = check_upload(attachment, **DOCUMENT_CHECKS[DOC.SUPPORTING])
        except ValidationError as error:
            errors["attachment"] = error.messages
    if errors:
        raise ValidationError(errors)
    if ChangeReport.objects.filter(listing=listing, kind=kind, status__in=OPEN_STATES).exists():
        raise DomainError(
            _("该单位已有待审核的%(kind)s报告，请等待审核结果。") % {"kind": K(kind).label},
            code="duplicate",
        )
    deadline = change_deadline(listing_policy(listing), kind, formalities_on)
    late = deadline.due_on is not None and today > deadline.due_on
    report = ChangeReport.objects.create(
        listing=listing,
        kind=kind,
        old_value=old_value,
        new_value=new_value,
        formalities_on=formalities_on,
        reported_on=today,
        due_on=deadline.due_on,
        late=late,
        calendar_warning=deadline.warning,
        description=description,
        reported_by=actor,
    )
    audit_record(
        subject=report,
        actor=actor,
        action="submit",
        action_label=_("上报变更"),
        to_state=report.status,
        comment=description,
        data={
            "kind": kind,
            "formalities_on": formalities_on.isoformat(),
            "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
            "late": late,
            "basis": deadline.basis,
            "article": deadline.article,
            "period_note": deadline.note,
            "calendar_warning": deadline.warning,
        },
        state_labels=change_workflow.states,
    )
    if checked is not None:
        _store_document(report, kind=DOC.SUPPORTING, checked=checked, actor=actor)
    first = listing.jurisdiction if needs_county_review(report) else _city_of(listing.jurisdiction)
    _notify_officials(
        first,
        subject=_("名单单位上报变更：%(name)s") % {"name": listing.unit_name},
        body=_("「%(name)s」上报%(kind)s（%(late)s），请审核。")
        % {
            "name": listing.unit_name,
            "kind": report.get_kind_display(),
            "late": _("逾期上报") if late else _("按期上报"),
        },
        link=_link(report),
    )
    return report


def _apply_to_registry(report: ChangeReport, actor) -> ListingEvent:
    """Record the confirmed change in the registry's history (and announce it there)."""
    listing = report.listing
    reason = _("单位于 %(date)s 上报变更，经审核确认。") % {"date": report.reported_on.isoformat()}
    if report.kind == K.NAME:
        return history_services.listing_record_name_change(
            listing=listing,
            actor=actor,
            new_name=report.new_value,
            occurred_on=report.formalities_on,
            reason=reason,
        )
    return history_services.listing_record_change(
        listing=listing,
        actor=actor,
        kind=EVENT_KINDS[report.kind],
        old_value=report.old_value,
        new_value=report.new_value,
        occurred_on=report.formalities_on,
        reason=f"{report.get_kind_display()}。{reason}",
    )


def _require_handler(actor, report: ChangeReport) -> None:
    if not may_handle(user=actor, report=report):
        raise NotPermitted(_("只有单位所在地区及其上级工业和信息化主管部门可以审核变更报告。"))


def _guard_decision(report: ChangeReport, *, transition, actor, comment) -> list[str]:
    """The county reviews once; the city decides after the county (where it must review), and
    confirms only what was re-evaluated and its revised report. Each refusal raises its code."""
    action = transition.action
    reviewed = county_opinion(report) is not None
    if action == COUNTY_REVIEW and reviewed:
        raise DomainError(_("县级工信部门已审核该变更报告。"), code="reviewed")
    if (
        action != COUNTY_REVIEW
        and report.status == S.SUBMITTED
        and needs_county_review(report)
        and not reviewed
    ):
        raise DomainError(
            _("请待%(county)s工信部门审核后再作决定。")
            % {"county": report.listing.jurisdiction.name},
            code="county_review_pending",
        )
    if skips_re_evaluation(report, action):
        raise DomainError(
            _("该变更须先组织再评价，审查修正后的评价报告后再确认（济南 第十六条）。"),
            code="re_evaluation_required",
        )
    if awaits_revised_report(report, action):
        raise DomainError(
            _("单位尚未上传修正后的评价报告，审查修正后的评价报告后方可确认变更（%(citation)s）。")
            % {"citation": citation(report)},
            code="revised_report_missing",
        )
    return []


def change_report_refusals(*, report: ChangeReport, action: str, actor) -> list[str]:
    """Why :func:`change_report_transition` would refuse ``action`` now (empty when it would
    not): the same check, table and guard."""
    return transition_refusals(
        workflow=change_workflow,
        instance=report,
        action=action,
        actor=actor,
        check=lambda row: _require_handler(actor, row),
        guards=[_guard_decision],
    )


@transaction.atomic
def change_report_transition(
    *, report: ChangeReport, action: str, actor, comment: str = ""
) -> ChangeReport:
    """Review or decide a change report: lock, check scope and workflow, act, audit, notify."""
    decision = comment.strip()
    data: dict = {}
    revised = None

    def may_decide(report: ChangeReport, *, transition, actor, comment) -> list[str]:
        nonlocal revised
        refusals = _guard_decision(report, transition=transition, actor=actor, comment=comment)
        revised = latest_revised_report(report) if action == "approve" else None
        return refusals

    def decide(report: ChangeReport, transition) -> None:
        comment = decision
        if revised is not None:
            # Which version the decision rests on: a later upload cannot change what was reviewed.
            data["revised_report"] = {"version": revised.number, "sha256": revised.sha256}
        if action == "approve":
            data["event"] = _apply_to_registry(report, actor).pk
        elif action == "reject":
            policy = listing_policy(report.listing)
            proposal = propose_removal(
                listing=report.listing,
                source=RemovalProposal.Source.OTHER,
                reason=_("%(kind)s后经审核不再符合绿色制造名单要求：%(comment)s")
                % {"kind": report.get_kind_display(), "comment": comment},
                actor=actor,
                ground_code="change" if policy in CHANGE_GROUNDS else "",
                article=REJECTION_ARTICLES.get(policy, ""),
                data={"change_report": report.pk},
            )
            data["proposal"] = proposal.pk
        if action != COUNTY_REVIEW:
            report.decision = comment
            report.decided_by = actor
            report.decided_at = clock.now()

    def tell(report: ChangeReport, *, transition, actor, comment) -> None:
        _tell(report, action=action, label=str(transition.label), comment=decision)

    return run_transition(
        workflow=change_workflow,
        instance=report,
        action=action,
        actor=actor,
        comment=comment,
        queryset=ChangeReport.objects.select_related(
            "listing__jurisdiction", "listing__authority__jurisdiction", "listing__batch"
        ),
        check=lambda report: _require_handler(actor, report),
        guards=[may_decide],
        before_save=decide,
        update_fields=["decision", "decided_by", "decided_at"],
        audit_comment=decision,
        audit_data=lambda report: data,
        effects=[tell],
        on_commit=False,
    )


def _store_document(
    report: ChangeReport, *, kind: str, checked: CheckedFile, actor
) -> ChangeDocument:
    """Keep the checked file as the next version of its kind (the report row is locked)."""
    last = report.documents.filter(kind=kind).aggregate(last=Max("number"))["last"] or 0
    document = ChangeDocument(report=report, kind=kind, number=last + 1)
    document.fill_from(checked, uploaded_by=actor)
    document.save()
    audit_record(
        subject=report,
        actor=actor,
        action="upload",
        action_label=_("上传材料"),
        from_state=report.status,
        to_state=report.status,
        comment=f"{document.get_kind_display()} v{document.number}：{document.original_name}",
        data={
            "document": document.pk,
            "kind": kind,
            "version": document.number,
            "sha256": checked.sha256,
            "size": checked.size,
        },
        state_labels=change_workflow.states,
    )
    return document


@transaction.atomic
def change_document_upload(
    *, report: ChangeReport, actor, kind: str, uploaded_file
) -> ChangeDocument:
    """The unit uploads a file to its change report: the revised evaluation report while it
    is 再评价中 (济南 第十六条), supporting material while it is open. Each upload is a new
    version."""
    report = (
        ChangeReport.objects.select_for_update(of=("self",))
        .select_related(
            "listing__jurisdiction", "listing__authority__jurisdiction", "listing__batch"
        )
        .get(pk=report.pk)
    )
    if not may_report(user=actor, listing=report.listing):
        raise NotPermitted(_("只有名单单位本单位的用户可以上传变更材料。"))
    if kind not in DOC.values:
        raise ValidationError({"kind": _("请选择材料类型。")})
    if kind not in uploadable_kinds(user=actor, report=report):
        if kind == DOC.REVISED_REPORT:
            message = _("变更报告当前为「%(state)s」，只有再评价中才能上传修正后的评价报告。")
        else:
            message = _("变更报告当前为「%(state)s」，已不能再上传材料。")
        raise DomainError(
            message % {"state": report.get_status_display()}, code="not_open", field="kind"
        )
    if uploaded_file is None:
        raise ValidationError({"file": _("请选择要上传的文件。")})
    try:
        checked = check_upload(uploaded_file, **DOCUMENT_CHECKS[kind])
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    document = _store_document(report, kind=kind, checked=checked, actor=actor)
    if kind == DOC.REVISED_REPORT:
        listing = report.listing
        _notify_officials(
            _city_of(listing.jurisdiction),
            subject=_("已上传修正后的评价报告：%(name)s") % {"name": listing.unit_name},
            body=_("「%(name)s」为%(kind)s上传了修正后的评价报告（第 %(n)d 版），请审查。")
            % {"name": listing.unit_name, "kind": report.get_kind_display(), "n": document.number},
            link=_link(report),
        )
    return document


def _tell(report: ChangeReport, *, action: str, label: str, comment: str) -> None:
    listing = report.listing
    facts = {"name": listing.unit_name, "kind": report.get_kind_display(), "label": label}
    if action == COUNTY_REVIEW:
        _notify_officials(
            _city_of(listing.jurisdiction),
            subject=_("变更报告待决定：%(name)s") % facts,
            body=_("%(county)s工信部门已审核「%(name)s」的%(kind)s报告，请决定。")
            % {**facts, "county": listing.jurisdiction.name},
            link=_link(report),
        )
        return
    body = _("您单位上报的%(kind)s：%(label)s。") % facts
    if comment:
        body += _("审核意见：%(comment)s") % {"comment": comment}
    for member in listing.organisation.users.filter(is_active=True):
        notify(
            recipient=member,
            subject=_("变更报告审核结果：%(label)s") % facts,
            body=body,
            link=_link(report),
        )


@transaction.atomic
def change_recount_deadlines(*, actor=None) -> int:
    """Count again the deadlines that ran into a year with no schedule, now that
    administrators may have entered it; returns how many reports changed."""
    changed = 0
    reports = ChangeReport.objects.select_for_update(of=("self",)).select_related(
        "listing__authority__jurisdiction", "listing__jurisdiction", "listing__batch"
    )
    for report in reports.exclude(calendar_warning="").order_by("pk"):
        deadline = change_deadline(
            listing_policy(report.listing), report.kind, report.formalities_on
        )
        late = deadline.due_on is not None and report.reported_on > deadline.due_on
        before = (report.due_on, report.late, report.calendar_warning)
        if before == (deadline.due_on, late, deadline.warning):
            continue
        report.due_on, report.late, report.calendar_warning = (
            deadline.due_on,
            late,
            deadline.warning,
        )
        report.save(update_fields=["due_on", "late", "calendar_warning"])
        audit_record(
            subject=report,
            actor=actor,
            action="recount_deadline",
            action_label=_("按录入的节假日安排重新计算期限"),
            from_state=report.status,
            to_state=report.status,
            data={
                "due_on": [
                    before[0].isoformat() if before[0] else None,
                    deadline.due_on.isoformat() if deadline.due_on else None,
                ],
                "late": [before[1], late],
                "calendar_warning": deadline.warning,
            },
            state_labels=change_workflow.states,
        )
        changed += 1
    return changed
