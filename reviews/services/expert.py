"""Commands of the 专家库 (expert pool), conflicts of interest and 评审分配 (assigning experts).

The bureau that opens a batch (city, province or national) keeps its own pool and forms a panel
of ``batch.experts_per_application`` experts for each recommended application, by hand or
automatically. An expert with a conflict of interest is never assigned (see
:func:`reviews.selectors.expert.conflict_reasons`); a conflict the expert declares later
withdraws their open assignments with the applicant or its agency.

Every command that changes a panel locks the application row first, so two officials (or an
official and an expert declaring a conflict) cannot form the same panel at once, and the
``start_expert_review`` guard, which runs under the same lock, sees a settled panel.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Application
from applications.selectors.batches import is_batch_authority
from greenmfg.accounts.roles import Role
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.directory.models import Level, Organisation
from greenmfg.notifications.services import notify
from reviews.models import ConflictDeclaration, ExpertAssignment, ExpertField, ExpertMembership
from reviews.selectors.expert import (
    CONFLICT_KINDS,
    POOL_KEEPER_ROLES,
    assignment_refusals,
    conflict_reasons,
    conflicts_for,
    declared_conflicts,
    eligible_experts,
    keeps_expert_pool,
    membership_refusals,
    open_load,
    panel_fields,
    panel_size,
)
from reviews.workflow import ACTIVE, INACTIVE, assignment_workflow, membership_workflow

__all__ = [
    "assignment_auto",
    "assignment_create",
    "assignment_withdraw",
    "choose_panel",
    "conflict_declare",
    "conflicts_for",
    "expert_add",
    "expert_deactivate",
    "expert_reactivate",
    "expert_update",
    "start_review_refusals",
]

A = ExpertAssignment.Status
EXPERTS = frozenset({Role.EXPERT})
FIRST_YEAR, LAST_YEAR = 2000, 2100
EDITABLE_FIELDS = frozenset({"field", "title", "active_from", "active_until"})
# A panel is formed while the application waits for or is in expert review; it may lose a
# member (withdrawal, recusal) until the decision is taken.
PANEL_FORMING = (Application.Status.RECOMMENDED, Application.Status.EXPERT_REVIEW)
PANEL_OPEN = (*PANEL_FORMING, Application.Status.ONSITE_CHECK)


def _membership_state(membership: ExpertMembership) -> str:
    return ACTIVE if membership.is_active else INACTIVE


def _task_link() -> str:
    return reverse("reviews:expert-task-list")


def _application_link(application: Application) -> str:
    return reverse("applications:application-detail", args=[application.pk]) + "#expert-panel"


# --- the pool ---------------------------------------------------------------------------------


def _pool_of(actor, authority: Organisation | None) -> Organisation:
    """The pool ``actor`` adds to: their own bureau's, or the bureau an administrator names."""
    if actor.is_sysadmin:
        if authority is None:
            raise ValidationError({"authority": _("请选择专家库所属的工信部门。")})
        if (
            authority.kind != Organisation.Kind.BUREAU
            or authority.jurisdiction.level == Level.COUNTY
        ):
            raise ValidationError(
                {
                    "authority": _("专家库属于市、省或国家工信部门，「%(name)s」不能建专家库。")
                    % {"name": authority.name}
                }
            )
        return authority
    if not keeps_expert_pool(user=actor):
        raise NotPermitted(_("专家库由市、省、国家工信部门维护。"))
    if authority is not None and authority.pk != actor.organisation_id:
        raise NotPermitted(_("只能维护本部门的专家库。"), field="authority")
    return actor.organisation


def _require_keeper_of(actor, membership: ExpertMembership) -> None:
    if actor.is_sysadmin:
        return
    if not keeps_expert_pool(user=actor) or actor.organisation_id != membership.authority_id:
        raise NotPermitted(_("只能维护本部门的专家库。"))


def _validate_membership(*, field: str, title: str, active_from, active_until, expert=None) -> None:
    errors: dict[str, str] = {}
    if expert is not None:
        if expert.role != Role.EXPERT:
            errors["expert"] = _("「%(name)s」的角色不是评审专家，不能纳入专家库。") % {
                "name": expert.display_name
            }
        elif not expert.is_active:
            errors["expert"] = _("「%(name)s」的账号已停用。") % {"name": expert.display_name}
    if field not in ExpertField.values:
        errors["field"] = _("请选择专业领域。")
    if not (title or "").strip():
        errors["title"] = _("请填写职称。")
    if not _is_year(active_from):
        errors["active_from"] = _("入库年度须在 %(first)d 年至 %(last)d 年之间。") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if active_until is not None:
        if not _is_year(active_until):
            errors["active_until"] = _("截止年度须在 %(first)d 年至 %(last)d 年之间。") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
        elif "active_from" not in errors and active_until < active_from:
            errors["active_until"] = _("截止年度不能早于入库年度。")
    if errors:
        raise ValidationError(errors)


def _is_year(value) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR
    )


def _locked_membership(membership: ExpertMembership) -> ExpertMembership:
    return (
        ExpertMembership.objects.select_for_update(of=("self",))
        .select_related("expert", "authority")
        .get(pk=membership.pk)
    )


def _save_membership(membership: ExpertMembership) -> None:
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise Conflict(
            _("「%(name)s」已在本专家库中。") % {"name": membership.expert.display_name},
            existing_id=ExpertMembership.objects.filter(
                authority=membership.authority_id, expert=membership.expert_id
            )
            .values_list("pk", flat=True)
            .first(),
            field="expert",
        ) from None


@transaction.atomic
def expert_add(
    *,
    actor,
    expert,
    field: str,
    title: str,
    active_from: int,
    active_until: int | None = None,
    authority: Organisation | None = None,
) -> ExpertMembership:
    """A city, province or national bureau puts an expert account into its own pool (an
    administrator names the bureau)."""
    authority = _pool_of(actor, authority)
    _validate_membership(
        field=field, title=title, active_from=active_from, active_until=active_until, expert=expert
    )
    existing = ExpertMembership.objects.filter(authority=authority, expert=expert).first()
    if existing is not None:
        message = _("「%(name)s」已在「%(pool)s」专家库中。") % {
            "name": expert.display_name,
            "pool": authority.name,
        }
        if not existing.is_active:
            message += _("该专家已移出，可在其编辑页恢复入库。")
        raise Conflict(message, existing_id=existing.pk, field="expert")
    membership = ExpertMembership(
        authority=authority,
        expert=expert,
        field=field,
        title=title.strip(),
        active_from=active_from,
        active_until=active_until,
        is_active=True,
    )
    _save_membership(membership)
    audit_record(
        subject=membership,
        actor=actor,
        action="create",
        action_label=_("纳入专家库"),
        to_state=ACTIVE,
        data={"authority": authority.pk, "expert": expert.pk},
        state_labels=membership_workflow.states,
    )
    notify(
        recipient=expert,
        subject=_("您已被纳入「%(pool)s」专家库") % {"pool": authority.name},
        body=_("专业领域：%(field)s；职称：%(title)s。评审任务将在“我的评审任务”中列出。")
        % {"field": membership.get_field_display(), "title": membership.title},
        link=_task_link(),
    )
    return membership


@transaction.atomic
def expert_update(*, membership: ExpertMembership, actor, **changes) -> ExpertMembership:
    """Change a member's field, title or active years (``active_until=None`` leaves it open)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"expert_update() got unexpected fields: {sorted(unknown)}")
    membership = _locked_membership(membership)
    _require_keeper_of(actor, membership)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    changed = {key: value for key, value in changes.items() if getattr(membership, key) != value}
    if not changed:
        return membership
    before = {key: getattr(membership, key) for key in changed}
    for key, value in changed.items():
        setattr(membership, key, value)
    _validate_membership(
        field=membership.field,
        title=membership.title,
        active_from=membership.active_from,
        active_until=membership.active_until,
    )
    membership.save(update_fields=list(changed))
    state = _membership_state(membership)
    audit_record(
        subject=membership,
        actor=actor,
        action="update",
        action_label=_("修改专家信息"),
        from_state=state,
        to_state=state,
        data={"changes": {key: [before[key], changed[key]] for key in changed}},
        state_labels=membership_workflow.states,
    )
    return membership


def _membership_transition(
    *, membership: ExpertMembership, actor, action: str, comment: str = ""
) -> ExpertMembership:
    membership = _locked_membership(membership)
    _require_keeper_of(actor, membership)
    from_state = _membership_state(membership)
    transition = membership_workflow.resolve(
        state=from_state, action=action, role=actor.effective_role, comment=comment
    )
    membership.is_active = transition.target == ACTIVE
    membership.save(update_fields=["is_active"])
    audit_record(
        subject=membership,
        actor=actor,
        action=action,
        action_label=transition.label,
        from_state=from_state,
        to_state=transition.target,
        comment=comment.strip(),
        state_labels=membership_workflow.states,
    )
    return membership


@transaction.atomic
def expert_deactivate(*, membership: ExpertMembership, actor, reason: str) -> ExpertMembership:
    """Move a member out of the pool: no new assignments. Their current assignments stay; the
    authority withdraws them one by one if it wants to (a reason each)."""
    return _membership_transition(
        membership=membership, actor=actor, action="deactivate", comment=reason
    )


@transaction.atomic
def expert_reactivate(*, membership: ExpertMembership, actor) -> ExpertMembership:
    return _membership_transition(membership=membership, actor=actor, action="reactivate")


# --- conflicts of interest --------------------------------------------------------------------


def _authority_officials(application: Application):
    return application.batch.authority.users.filter(is_active=True, role__in=POOL_KEEPER_ROLES)


@transaction.atomic
def conflict_declare(*, expert, organisation: Organisation, reason: str) -> ConflictDeclaration:
    """An expert declares a conflict of interest with an organisation.

    Their assignments to applications of that organisation (as applicant or as evaluating
    agency) still under review are withdrawn with the reason, and the authority is told so it
    can complete the panel. Applications already decided keep their panel: the declaration is
    on record for the authority to weigh.
    """
    if expert.role != Role.EXPERT:
        raise NotPermitted(_("只有评审专家可以申报利益冲突。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明利益冲突的原因。")})
    if organisation.kind not in CONFLICT_KINDS:
        raise ValidationError({"organisation": _("只能对企业、园区或第三方评价机构申报利益冲突。")})
    if organisation.pk == expert.organisation_id:
        raise ValidationError(
            {
                "organisation": _("「%(name)s」是您所在单位，系统已自动回避，无须申报。")
                % {"name": organisation.name}
            }
        )
    declared = ConflictDeclaration.objects.filter(expert=expert, organisation=organisation)
    existing = declared.values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(
            _("您已申报与「%(name)s」存在利益冲突。") % {"name": organisation.name},
            existing_id=existing,
            field="organisation",
        )
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                expert=expert, organisation=organisation, reason=reason
            )
    except IntegrityError:
        raise Conflict(
            _("您已申报与「%(name)s」存在利益冲突。") % {"name": organisation.name},
            existing_id=declared.values_list("pk", flat=True).first(),
            field="organisation",
        ) from None
    audit_record(
        subject=declaration,
        actor=expert,
        action="declare_conflict",
        action_label=_("申报利益冲突"),
        comment=reason,
        data={"organisation": organisation.pk},
    )
    affected = (
        ExpertAssignment.objects.filter(expert=expert)
        .exclude(status=A.WITHDRAWN)
        .filter(Q(application__organisation=organisation) | Q(application__agency=organisation))
        .values("application_id")
    )
    # Locked in id order, like every other command here, so two commands cannot deadlock.
    applications = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=affected, status__in=PANEL_OPEN)
        .select_related("batch__authority", "organisation")
        .order_by("pk")
    )
    withdrawal = _("专家申报与「%(name)s」存在利益冲突：%(reason)s") % {
        "name": organisation.name,
        "reason": reason,
    }
    for application in applications:
        assignment = (
            ExpertAssignment.objects.select_for_update(of=("self",))
            .filter(application=application, expert=expert)
            .exclude(status=A.WITHDRAWN)
            .first()
        )
        if assignment is None:
            continue
        _withdraw(
            assignment=assignment,
            application=application,
            actor=expert,
            action="recuse",
            reason=withdrawal,
        )
        for official in _authority_officials(application):
            notify(
                recipient=official,
                subject=_("专家回避：%(name)s") % {"name": str(application)},
                body=_(
                    "%(expert)s申报利益冲突，已退出「%(name)s」的评审组：%(reason)s。请补充分配专家。"
                )
                % {"expert": expert.display_name, "name": str(application), "reason": reason},
                link=_application_link(application),
            )
    return declaration


# --- assignments ------------------------------------------------------------------------------


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch__authority", "organisation", "agency")
        .get(pk=application.pk)
    )


def _require_authority(actor, application: Application) -> None:
    if not is_batch_authority(user=actor, batch=application.batch):
        raise NotPermitted(
            _("评审专家由批次组织单位「%(authority)s」分配。")
            % {"authority": application.batch.authority.name}
        )


def _require_status(application: Application, states, message: str) -> None:
    if application.status not in states:
        raise DomainError(
            message % {"state": application.get_status_display()}, code="invalid_state"
        )


def _require_panel_forming(application: Application) -> None:
    _require_status(
        application,
        PANEL_FORMING,
        _("申报当前状态为「%(state)s」，只有已推荐或专家评审中的申报可以分配专家。"),
    )


def _panel_full_error(application: Application) -> DomainError:
    return DomainError(
        _("评审组已满（每项申报 %(size)d 名专家）。如需更换，请先撤回一名专家。")
        % {"size": application.batch.experts_per_application},
        code="panel_full",
    )


def _assignment_audit(
    *, application, actor, action, label, assignment, from_state="", comment=""
) -> None:
    # The application's state does not change: the assignment's is kept in the data.
    audit_record(
        subject=application,
        actor=actor,
        action=action,
        action_label=label,
        comment=comment,
        data={
            "assignment": assignment.pk,
            "expert": assignment.expert_id,
            "assignment_from": from_state,
            "assignment_to": assignment.status,
            "assignment_to_label": str(assignment_workflow.state_label(assignment.status)),
        },
    )


def _create(*, application: Application, expert, actor) -> ExpertAssignment:
    try:
        with transaction.atomic():
            assignment = ExpertAssignment.objects.create(
                application=application, expert=expert, assigned_by=actor, status=A.ASSIGNED
            )
    except IntegrityError:
        raise DomainError(
            _("「%(name)s」已在该申报的评审组中。") % {"name": expert.display_name},
            code="duplicate",
            field="expert",
        ) from None
    _assignment_audit(
        application=application,
        actor=actor,
        action="expert_assign",
        label=_("分配评审专家"),
        assignment=assignment,
        comment=expert.display_name,
    )
    notify(
        recipient=expert,
        subject=_("新的评审任务：%(name)s") % {"name": str(application)},
        body=_("「%(authority)s」请您评审「%(batch)s」中的「%(name)s」。")
        % {
            "authority": application.batch.authority.name,
            "batch": application.batch.title,
            "name": str(application),
        },
        link=_task_link(),
    )
    return assignment


@transaction.atomic
def assignment_create(*, application: Application, expert, actor) -> ExpertAssignment:
    """The batch authority assigns one expert of its pool to a recommended application.

    Refused, with every reason, for an expert not in the authority's pool, out of the pool or
    not active in the batch year, with a conflict of interest, or already on the panel; and
    when the panel already has ``batch.experts_per_application`` members.
    """
    application = _locked_application(application)
    _require_authority(actor, application)
    _require_panel_forming(application)
    batch = application.batch
    membership = (
        ExpertMembership.objects.filter(authority_id=batch.authority_id, expert_id=expert.pk)
        .select_related("expert__organisation")
        .first()
    )
    if membership is None:
        raise DomainError(
            _("「%(name)s」不在「%(pool)s」专家库中。")
            % {"name": expert.display_name, "pool": batch.authority.name},
            code="not_in_pool",
            field="expert",
        )
    expert = membership.expert
    existing = ExpertAssignment.objects.filter(application=application, expert=expert).first()
    conflicts = conflict_reasons(
        expert=expert,
        application=application,
        declared=declared_conflicts(expert_ids=[expert.pk], application=application).get(
            expert.pk, {}
        ),
    )
    reasons = [
        *assignment_refusals(assignment=existing),
        *membership_refusals(membership=membership, year=batch.year),
        *conflicts,
    ]
    if reasons:
        raise DomainError(
            _("不能分配「%(name)s」：%(reasons)s")
            % {"name": expert.display_name, "reasons": "".join(reasons)},
            code="duplicate"
            if existing
            else "conflict_of_interest"
            if conflicts
            else "not_eligible",
            field="expert",
            reasons=reasons,
        )
    if panel_size(application=application) >= batch.experts_per_application:
        raise _panel_full_error(application)
    return _create(application=application, expert=expert, actor=actor)


def choose_panel(
    *,
    candidates: list[ExpertMembership],
    load: dict[int, int],
    fields_on_panel: set[str],
    needed: int,
) -> list[ExpertMembership]:
    """Pick ``needed`` of the eligible ``candidates`` (pure).

    One at a time: the fewest open assignments in the batch first (spreading the load), then a
    field not yet on the panel (a panel of several disciplines), then the name and the account
    id, so that the same pool always gives the same panel.
    """
    chosen: list[ExpertMembership] = []
    fields = set(fields_on_panel)
    remaining = list(candidates)
    while remaining and len(chosen) < needed:
        best = min(
            remaining,
            key=lambda m: (
                load.get(m.expert_id, 0),
                m.field in fields,
                m.expert.display_name,
                m.expert_id,
            ),
        )
        chosen.append(best)
        fields.add(best.field)
        remaining.remove(best)
    return chosen


@transaction.atomic
def assignment_auto(*, application: Application, actor) -> list[ExpertAssignment]:
    """Fill the panel up to ``batch.experts_per_application`` with eligible experts.

    All or nothing: when the pool has fewer eligible experts than the panel still needs, nothing
    is assigned and the refusal says how many are eligible and how many are needed (and why the
    others are excluded), so a panel is never left half formed without anyone deciding so. The
    authority may then add experts to the pool or assign by hand.
    """
    application = _locked_application(application)
    _require_authority(actor, application)
    _require_panel_forming(application)
    batch = application.batch
    needed = batch.experts_per_application - panel_size(application=application)
    if needed <= 0:
        raise _panel_full_error(application)
    rows = eligible_experts(application=application)
    candidates = [membership for membership, reasons in rows if not reasons]
    if len(candidates) < needed:
        raise DomainError(
            _(
                "「%(pool)s」专家库中可分配给该申报的专家只有 %(eligible)d 名，还需 %(needed)d 名，"
                "未作任何分配。请补充专家库或调整后再分配。"
            )
            % {"pool": batch.authority.name, "eligible": len(candidates), "needed": needed},
            code="not_enough_experts",
            reasons=[
                f"{membership.expert.display_name}：{''.join(reasons)}"
                for membership, reasons in rows
                if reasons
            ],
        )
    chosen = choose_panel(
        candidates=candidates,
        load=open_load(batch=batch, expert_ids=[m.expert_id for m in candidates]),
        fields_on_panel=panel_fields(application=application),
        needed=needed,
    )
    return [
        _create(application=application, expert=membership.expert, actor=actor)
        for membership in chosen
    ]


def _withdraw(
    *, assignment: ExpertAssignment, application: Application, actor, action: str, reason: str
) -> ExpertAssignment:
    transition = assignment_workflow.resolve(
        state=assignment.status, action=action, role=actor.effective_role, comment=reason
    )
    from_state = assignment.status
    assignment.status = transition.target
    assignment.withdrawal_reason = reason.strip()
    assignment.save(update_fields=["status", "withdrawal_reason"])
    _assignment_audit(
        application=application,
        actor=actor,
        action=f"expert_{action}",
        label=transition.label,
        assignment=assignment,
        from_state=from_state,
        comment=f"{assignment.expert.display_name}：{assignment.withdrawal_reason}",
    )
    return assignment


@transaction.atomic
def assignment_withdraw(*, assignment: ExpertAssignment, actor, reason: str) -> ExpertAssignment:
    """The authority takes an expert off a panel, with the reason, until the decision."""
    application = _locked_application(assignment.application)
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    _require_authority(actor, application)
    _require_status(
        application,
        PANEL_OPEN,
        _("申报当前状态为「%(state)s」，评审已有结论，不能调整评审组。"),
    )
    assignment = _withdraw(
        assignment=assignment,
        application=application,
        actor=actor,
        action="withdraw",
        reason=reason or "",
    )
    notify(
        recipient=assignment.expert,
        subject=_("评审任务已撤回：%(name)s") % {"name": str(application)},
        body=_("「%(authority)s」撤回了您对「%(name)s」的评审任务：%(reason)s")
        % {
            "authority": application.batch.authority.name,
            "name": str(application),
            "reason": assignment.withdrawal_reason,
        },
        link=_task_link(),
    )
    return assignment


# --- the guard of start_expert_review ---------------------------------------------------------


def start_review_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """Expert review starts only with a complete panel (run under the application's row lock)."""
    size = panel_size(application=application)
    needed = application.batch.experts_per_application
    if size < needed:
        return [
            _("评审组尚未组成：已分配 %(size)d 名专家，每项申报需 %(needed)d 名。")
            % {"size": size, "needed": needed}
        ]
    return []
