"""Commands that keep agencies honest: engagements within the caps, independence from the
self-evaluation, and the three-year blacklist.

The application service calls :func:`engagement_sync` (through ``applications.agency_checks``)
under the application's row lock whenever the applicant names, changes or drops its agency, and
:func:`agency_submission_refusals` before a submission. Each cap that reaches the engagement
(:func:`cap_refusals`) is counted under row locks on every agency of the group it spans, taken
in primary-key order, so two engagements racing for the last place are serialised and one is
refused.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Application, Document
from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee, scope_root
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.dates import add_years
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.directory.models import Organisation
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from greenmfg.rules.agency import cap_finding, is_counted
from registry.services.announcement import announce_blacklist_lifted, announce_blacklisting
from thirdparty.models import AgencyProfile, BlacklistEntry, Engagement
from thirdparty.selectors.agencies import (
    blacklisting,
    cap_group,
    counted_engagements,
    engagement_caps,
    flagged_applications,
)
from thirdparty.workflow import ENGAGEMENT_SERVICE, engagement_workflow

BLACKLIST_YEARS = 3


def _date(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


def agency_acceptance_refusals(*, agency: Organisation, application: Application) -> list[str]:
    """Why this agency's evaluation cannot be accepted for this application (empty: it can)."""
    refusals = []
    if agency.kind != Organisation.Kind.AGENCY:
        return [_("「%(name)s」不是第三方评价机构。") % {"name": agency.name}]
    if agency.status != Organisation.Status.ACTIVE:
        refusals.append(
            _("第三方评价机构「%(name)s」当前状态为「%(status)s」，不能受理其评价报告。")
            % {"name": agency.name, "status": agency.get_status_display()}
        )
    profile = AgencyProfile.objects.filter(organisation=agency).first()
    if profile is None or profile.status != AgencyProfile.Status.APPROVED:
        refusals.append(
            _(
                "第三方评价机构「%(name)s」的资质尚未通过审核（济南 第十四条：不具备基本条件的，"
                "不采信其评价报告）。"
            )
            % {"name": agency.name}
        )
    entry = blacklisting(agency_id=agency.pk, jurisdiction=application.jurisdiction)
    if entry is not None:
        refusals.append(
            _(
                "第三方评价机构「%(name)s」已被%(authority)s列入黑名单，%(end)s 前不予采信其评价结果。"  # noqa: E501
            )
            % {"name": agency.name, "authority": entry.authority.name, "end": _date(entry.ends_on)}
        )
    refusals.extend(independence_refusals(agency=agency, application=application))
    return refusals


def independence_refusals(*, agency: Organisation, application: Application) -> list[str]:
    """大连 二: 与申报主体自我评价活动保持独立性，不参与自我评价报告编写."""
    if application.self_evaluation_helper_id != agency.pk:
        return []
    return [
        _(
            "「%(name)s」协助编写了本单位的自评价报告，不能再承担第三方评价（大连 二：评价机构"
            "须与申报主体自我评价活动保持独立性，不参与自我评价报告编写）。"
        )
        % {"name": agency.name}
    ]


def _lock_group(group: set[int]) -> None:
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=sorted(group))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def cap_refusals(*, agency: Organisation, application: Application) -> list[str]:
    """The caps that reach this engagement, each counted under locks; a message per cap reached.

    Which caps reach it is the rules' answer (``governing_caps``): the batch's own policy (大连
    二 per batch), and 洛阳 第二十条 for a 洛阳 unit's or 洛阳 agency's project in a national
    batch, whatever that batch's policy; 洛阳's city and provincial projects are not capped.
    Each message cites its own document.
    """
    if not is_counted(application.unit_type):
        return []
    caps = engagement_caps(agency=agency, application=application)
    if not caps:
        return []
    groups = {cap.policy: cap_group(agency_id=agency.pk, scope=cap.scope) for cap in caps}
    _lock_group(set().union(*groups.values()))
    refusals = []
    for cap in caps:
        used = (
            counted_engagements(group=groups[cap.policy], cap=cap, batch=application.batch)
            .exclude(application=application)
            .count()
        )
        finding = cap_finding(cap.policy, used=used)
        if finding.passed:
            continue
        refusals.append(
            _("「%(name)s」不能再承担评价项目：%(message)s（%(citation)s：%(wording)s）。")
            % {
                "name": agency.name,
                "message": finding.message,
                "citation": cap.citation,
                "wording": cap.wording,
            }
        )
    return refusals


def _stamp_withdrawal(engagement: Engagement, transition) -> None:
    engagement.withdrawn_at = clock.now()


def _withdraw(engagement: Engagement, *, actor, reason: str) -> None:
    run_transition(
        workflow=engagement_workflow,
        instance=engagement,
        action="withdraw",
        actor=actor,
        comment=reason,
        service=ENGAGEMENT_SERVICE,
        before_save=_stamp_withdrawal,
        update_fields=["withdrawn_at"],
    )


def engagement_sync(*, application: Application, actor) -> list[str]:
    """Record that the application now names ``application.agency`` (or none).

    Called inside the application's transaction, under its row lock, before it is saved.
    Returns refusals for the new agency; then nothing changed (the old engagement stays).
    """
    agency = (
        application.agency
        if application.evaluation_mode == Application.EvaluationMode.THIRD_PARTY
        else None
    )
    current = (
        Engagement.objects.select_for_update()
        .filter(application=application, status=Engagement.Status.ACTIVE)
        .first()
    )
    if current is not None and agency is not None and current.agency_id == agency.pk:
        # The same agency keeps its place; only independence may have changed.
        return independence_refusals(agency=agency, application=application)
    if agency is not None:
        refusals = agency_acceptance_refusals(agency=agency, application=application)
        if not refusals:
            refusals = cap_refusals(agency=agency, application=application)
        if refusals:
            return refusals
    if current is not None:
        _withdraw(current, actor=actor, reason=_("申报单位更换或取消了第三方评价机构"))
    if agency is not None:
        engagement = Engagement.objects.create(
            agency=agency,
            application=application,
            batch=application.batch,
            year=application.batch.year,
            counted=is_counted(application.unit_type),
            created_by=actor,
        )
        audit_record(
            subject=engagement,
            actor=actor,
            action="engage",
            action_label=_("委托第三方评价"),
            to_state=engagement.status,
            state_labels=dict(Engagement.Status.choices),
        )
        for member in agency.users.filter(is_active=True):
            notify(
                recipient=member,
                subject=_("新的评价委托：%(name)s") % {"name": str(application)},
                body=_("%(name)s 在「%(batch)s」中委托贵机构开展第三方评价。")
                % {"name": application.organisation.name, "batch": application.batch.title},
                link=reverse("thirdparty:engagement-list"),
            )
    return []


def agency_submission_refusals(*, application: Application) -> list[str]:
    """At submission: the agency is still acceptable, engaged, and independent of the
    self-evaluation (no version of it was uploaded by the agency's staff)."""
    if application.evaluation_mode != Application.EvaluationMode.THIRD_PARTY:
        return []
    agency = application.agency
    if agency is None:
        return []
    refusals = agency_acceptance_refusals(agency=agency, application=application)
    if not Engagement.objects.filter(
        application=application, agency=agency, status=Engagement.Status.ACTIVE
    ).exists():
        refusals.append(
            _("与第三方评价机构「%(name)s」的评价委托未登记，请重新选择评价机构并保存。")
            % {"name": agency.name}
        )
    self_written = application.documents.filter(
        kind=Document.Kind.SELF_EVALUATION, versions__uploaded_by__organisation=agency
    ).exists()
    if self_written:
        refusals.append(
            _("自评价报告由第三方评价机构「%(name)s」的人员上传，与其第三方评价不独立（大连 二）。")
            % {"name": agency.name}
        )
    return refusals


def report_upload_refusals(*, application: Application, actor, kind: str) -> list[str]:
    """Agency staff never author the self-evaluation (大连 二); a blacklisted agency's report is
    not accepted in the subtree that blacklisted it."""
    refusals = []
    if actor.role == Role.AGENCY_STAFF and kind == Document.Kind.SELF_EVALUATION:
        refusals.append(_("第三方评价机构人员不得编写或上传申报单位的自评价报告（大连 二）。"))
    if kind == Document.Kind.THIRD_PARTY_REPORT and application.agency_id:
        entry = blacklisting(agency_id=application.agency_id, jurisdiction=application.jurisdiction)
        if entry is not None:
            refusals.append(
                _("该评价机构已被%(authority)s列入黑名单，%(end)s 前不予采信其评价报告。")
                % {"authority": entry.authority.name, "end": _date(entry.ends_on)}
            )
    return refusals


# --- Blacklist ---


def _require_blacklisting_official(actor) -> None:
    if not (actor.is_official or actor.is_sysadmin) or actor.organisation is None:
        raise NotPermitted(_("评价机构黑名单由工业和信息化主管部门决定。"))
    if actor.organisation.kind != Organisation.Kind.BUREAU:
        raise NotPermitted(_("评价机构黑名单由工业和信息化主管部门决定。"))


@transaction.atomic
def blacklist_add(
    *, agency: Organisation, actor, reason: str, evidence, starts_on: datetime.date | None = None
) -> BlacklistEntry:
    """Bar the agency's reports in the actor's subtree for three years (洛阳 第二十条: 三年内不予
    采信; 济南 第十四条; 大连 二), and flag the applications already carrying its evaluation."""
    _require_blacklisting_official(actor)
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("只能将第三方评价机构列入黑名单。")})
    errors = {}
    if len(reason.strip()) < 10:
        errors["reason"] = _("请写明查实的弄虚作假或故意隐瞒问题（至少 10 个字）。")
    if evidence is None:
        errors["evidence"] = _("请上传证据材料（PDF 或图片）。")
    if errors:
        raise ValidationError(errors)
    try:
        checked = check_upload(evidence, pdf_only=False, max_bytes=SUPPORTING_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    authority = actor.organisation
    jurisdiction = scope_root(actor) or authority.jurisdiction
    today = clock.today()
    starts_on = starts_on or today
    ends_on = add_years(starts_on, BLACKLIST_YEARS)
    if starts_on > today:
        raise ValidationError({"starts_on": _("决定日期不能晚于今天。")})
    if ends_on <= today:
        raise ValidationError({"starts_on": _("自该日期起的三年已满，列入黑名单已无意义。")})
    keys = [*jurisdiction.ancestor_keys, jurisdiction.key]
    overlapping = BlacklistEntry.objects.filter(
        agency=agency,
        jurisdiction__key__in=keys,
        lifted_on__isnull=True,
        starts_on__lt=ends_on,
        ends_on__gt=starts_on,
    )
    if overlapping.exists():
        raise DomainError(
            _("「%(name)s」已在本辖区的黑名单中。") % {"name": agency.name}, code="already_listed"
        )
    entry = BlacklistEntry(
        agency=agency,
        authority=authority,
        jurisdiction=jurisdiction,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    entry.fill_from(checked)
    entry.save()
    audit_record(
        subject=entry,
        actor=actor,
        action="blacklist",
        action_label=_("列入评价机构黑名单"),
        comment=entry.reason,
        data={"agency": agency.pk, "ends_on": ends_on.isoformat(), "sha256": entry.sha256},
    )
    for application in flagged_applications(entry=entry).select_related(
        "jurisdiction", "batch__authority"
    ):
        audit_record(
            subject=application,
            actor=actor,
            action="agency_blacklisted",
            action_label=_("第三方评价机构被列入黑名单"),
            comment=entry.reason,
            data={"entry": entry.pk},
        )
        # The county that reviews it and the bureau whose batch it is in.
        reviewers = {*officials_of(jurisdiction=application.jurisdiction)}
        reviewers |= set(application.batch.authority.users.filter(is_active=True))
        for official in sorted(reviewers, key=lambda user: user.pk):
            notify(
                recipient=official,
                subject=_("评价机构被列入黑名单：%(name)s") % {"name": str(application)},
                body=_("%(agency)s 已被%(authority)s列入黑名单，该申报的第三方评价报告不予采信。")
                % {"agency": agency.name, "authority": authority.name},
                link=reverse("applications:application-detail", args=[application.pk]),
            )
    announce_blacklisting(entry, actor=actor)
    return entry


@transaction.atomic
def blacklist_lift(*, entry: BlacklistEntry, actor, decision: str) -> BlacklistEntry:
    """Lift an entry before its three years are up: a recorded decision of the same authority
    (or one above it)."""
    entry = (
        BlacklistEntry.objects.select_for_update().select_related("jurisdiction").get(pk=entry.pk)
    )
    _require_blacklisting_official(actor)
    if not can_oversee(actor, entry.jurisdiction):
        raise NotPermitted(_("只有作出决定的部门或其上级部门可以提前解除。"))
    today = clock.today()
    if entry.lifted_on is not None or entry.ends_on <= today:
        raise DomainError(_("该黑名单记录已不在有效期内。"), code="not_in_force")
    if len(decision.strip()) < 10:
        raise ValidationError({"decision": _("提前解除须写明决定及理由（至少 10 个字）。")})
    entry.lifted_on = today
    entry.lift_reason = decision.strip()
    entry.lifted_by = actor
    entry.save(update_fields=["lifted_on", "lift_reason", "lifted_by"])
    audit_record(
        subject=entry,
        actor=actor,
        action="lift",
        action_label=_("提前解除黑名单"),
        comment=entry.lift_reason,
    )
    announce_blacklist_lifted(entry, actor=actor)
    return entry
