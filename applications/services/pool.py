"""Commands on the 培育库: a county adds candidates, cultivates them, invites them to apply.

洛阳 第四条、第六条: each county bureau keeps the pool of its own enterprises and parks and plans
their cultivation; city and province bureaus look over their counties' pools but do not change
them. The application service marks a candidacy applied when its application is submitted.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import APPLICANT_KIND_BY_UNIT_TYPE, Batch, CultivationCandidate, UnitType
from applications.selectors.pool import POOL_KINDS, is_pool_keeper
from applications.workflow import SPECIAL_ACTIONS, SYSTEM, pool_workflow
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.core.transitions import run_transition, transition_refusals
from greenmfg.directory.models import Organisation
from greenmfg.notifications.services import notify

S = CultivationCandidate.Status
EDITABLE_FIELDS = frozenset({"target_unit_type", "target_year", "plan", "notes"})
EDITABLE_STATES = frozenset({S.CULTIVATING, S.INVITED})
YEARS_AHEAD = 10  # how far ahead a cultivation target may reasonably be planned


def _require_keeper(actor) -> None:
    if not is_pool_keeper(user=actor):
        raise NotPermitted(_("培育库由县（区）工信部门维护，其他角色只能查看。"))


def _require_keeper_of(actor, candidate: CultivationCandidate) -> None:
    if not can_oversee(actor, candidate.county):
        raise NotPermitted(_("该培育对象不在您的管辖范围内。"))
    _require_keeper(actor)


def _validate(
    *,
    organisation: Organisation,
    target_unit_type: str,
    target_year,
    plan: str,
    check_year: bool = True,
) -> None:
    errors: dict[str, str] = {}
    if organisation.kind not in POOL_KINDS:
        errors["organisation"] = _("只有企业或园区可以纳入培育库。")
    elif organisation.status != Organisation.Status.ACTIVE:
        errors["organisation"] = _(
            "「%(name)s」当前状态为「%(state)s」，只有状态正常的单位可以纳入培育库。"
        ) % {"name": organisation.name, "state": organisation.get_status_display()}
    if target_unit_type not in UnitType.values:
        errors["target_unit_type"] = _("请选择培育方向。")
    elif (
        "organisation" not in errors
        and APPLICANT_KIND_BY_UNIT_TYPE[target_unit_type] != organisation.kind
    ):
        errors["target_unit_type"] = _("%(kind)s不能以%(type)s为培育方向。") % {
            "kind": organisation.get_kind_display(),
            "type": UnitType(target_unit_type).label,
        }
    this_year = clock.today().year
    if check_year and (
        isinstance(target_year, bool)
        or not isinstance(target_year, int)
        or not this_year <= target_year <= this_year + YEARS_AHEAD
    ):
        errors["target_year"] = _("目标年度须在 %(first)d 年至 %(last)d 年之间。") % {
            "first": this_year,
            "last": this_year + YEARS_AHEAD,
        }
    if not (plan or "").strip():
        errors["plan"] = _("请填写培育计划。")
    if errors:
        raise ValidationError(errors)


def _refuse_duplicate(
    *, organisation: Organisation, target_unit_type: str, exclude_pk: int | None = None
) -> None:
    """One open candidacy per organisation and direction (the model's partial unique index)."""
    existing = (
        CultivationCandidate.objects.filter(
            organisation=organisation, target_unit_type=target_unit_type
        )
        .exclude(status=S.WITHDRAWN)
        .exclude(pk=exclude_pk)
        .select_related("county")
        .first()
    )
    if existing is not None:
        raise Conflict(
            _(
                "「%(name)s」已在%(county)s培育库中（培育方向：%(type)s，状态：%(state)s），"
                "不能重复纳入。"
            )
            % {
                "name": organisation.name,
                "county": existing.county.name,
                "type": existing.get_target_unit_type_display(),
                "state": existing.get_status_display(),
            },
            existing_id=existing.pk,
            field="organisation",
        )


def _save(candidate: CultivationCandidate, **kwargs) -> None:
    try:
        with transaction.atomic():
            candidate.save(**kwargs)
    except IntegrityError:
        # Someone added the same candidacy between our check and our write.
        _refuse_duplicate(
            organisation=candidate.organisation,
            target_unit_type=candidate.target_unit_type,
            exclude_pk=candidate.pk,
        )
        raise


def _locked(candidate: CultivationCandidate) -> CultivationCandidate:
    return (
        CultivationCandidate.objects.select_for_update(of=("self",))
        .select_related("organisation", "county", "invited_batch")
        .get(pk=candidate.pk)
    )


@transaction.atomic
def candidate_add(
    *,
    actor,
    organisation: Organisation,
    target_unit_type: str,
    target_year: int,
    plan: str,
    notes: str = "",
) -> CultivationCandidate:
    """A county bureau puts one of its active enterprises or parks into its pool."""
    _require_keeper(actor)
    if not can_oversee(actor, organisation.jurisdiction):  # its county, or a zone the county runs
        # Not named: the county should learn nothing of another county's organisations.
        raise NotPermitted(
            _("该单位不在本县（区），只能将本辖区的企业或园区纳入培育库。"), field="organisation"
        )
    _validate(
        organisation=organisation,
        target_unit_type=target_unit_type,
        target_year=target_year,
        plan=plan,
    )
    _refuse_duplicate(organisation=organisation, target_unit_type=target_unit_type)
    candidate = CultivationCandidate(
        county=organisation.jurisdiction,
        organisation=organisation,
        target_unit_type=target_unit_type,
        target_year=target_year,
        plan=plan.strip(),
        notes=(notes or "").strip(),
        status=S.CULTIVATING,
        created_by=actor,
    )
    _save(candidate)
    audit_record(
        subject=candidate,
        actor=actor,
        action="create",
        action_label=_("纳入培育库"),
        to_state=candidate.status,
        state_labels=pool_workflow.states,
    )
    return candidate


@transaction.atomic
def candidate_update(*, candidate: CultivationCandidate, actor, **changes) -> CultivationCandidate:
    """Change the direction, target year, plan or notes of a candidate still being cultivated
    or invited; the direction only while it is not yet invited."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"candidate_update() got unexpected fields: {sorted(unknown)}")
    candidate = _locked(candidate)
    _require_keeper_of(actor, candidate)
    for field in ("plan", "notes"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    changed = {
        field: value for field, value in changes.items() if getattr(candidate, field) != value
    }
    if not changed:
        return candidate
    if candidate.status not in EDITABLE_STATES:
        raise DomainError(
            _("培育对象当前状态为「%(state)s」，不能修改。")
            % {"state": candidate.get_status_display()},
            code="not_editable",
        )
    if "target_unit_type" in changed and candidate.status != S.CULTIVATING:
        raise DomainError(
            _("已邀请申报的培育对象不能修改培育方向，请先撤回邀请。"),
            code="not_editable",
            field="target_unit_type",
        )
    before = {field: getattr(candidate, field) for field in changed}
    for field, value in changed.items():
        setattr(candidate, field, value)
    _validate(
        organisation=candidate.organisation,
        target_unit_type=candidate.target_unit_type,
        target_year=candidate.target_year,
        plan=candidate.plan,
        # A target year already reached does not block editing the plan.
        check_year="target_year" in changed,
    )
    if "target_unit_type" in changed:
        _refuse_duplicate(
            organisation=candidate.organisation,
            target_unit_type=candidate.target_unit_type,
            exclude_pk=candidate.pk,
        )
    _save(candidate)
    audit_record(
        subject=candidate,
        actor=actor,
        action="update",
        action_label=_("修改培育信息"),
        from_state=candidate.status,
        to_state=candidate.status,
        data={"changes": {field: [before[field], changed[field]] for field in changed}},
        state_labels=pool_workflow.states,
    )
    return candidate


def _system_transition(candidate: CultivationCandidate, *, action: str) -> None:
    """已提交申报 / 已入选名单: recorded by the system, no one acting."""
    run_transition(
        workflow=pool_workflow,
        instance=candidate,
        action=action,
        actor=None,
        role=SYSTEM,
        update_fields=["updated_at"],
    )


def _notify_members(candidate: CultivationCandidate, *, subject: str, body: str, link: str):
    for member in candidate.organisation.users.filter(is_active=True):
        notify(recipient=member, subject=subject, body=body, link=link)


def _no_duplicate(row: CultivationCandidate, *, transition, actor, comment) -> list[str]:
    """重新纳入 must not open a second candidacy (see :func:`_refuse_duplicate`, which raises)."""
    if transition.action == "reinstate":
        _refuse_duplicate(
            organisation=row.organisation,
            target_unit_type=row.target_unit_type,
            exclude_pk=row.pk,
        )
    return []


# What candidate_transition asks before a step, and candidate_refusals previews: one code path.
CANDIDATE_GUARDS = (_no_duplicate,)


def candidate_refusals(*, candidate: CultivationCandidate, action: str, actor) -> list[str]:
    """Why :func:`candidate_transition` would refuse ``action`` now (empty when it would not)."""
    return transition_refusals(
        workflow=pool_workflow,
        instance=candidate,
        action=action,
        actor=actor,
        check=lambda row: _require_keeper_of(actor, row),
        guards=CANDIDATE_GUARDS,
    )


@transaction.atomic
def candidate_transition(
    *, candidate: CultivationCandidate, action: str, actor, comment: str = ""
) -> CultivationCandidate:
    """退出培育, 重新纳入, 撤回邀请 (see pool_workflow), with the trail entry."""
    if action in SPECIAL_ACTIONS:
        raise DomainError(
            _("「邀请申报」须选择批次，「已提交申报」由系统在提交申报时记录。"),
            code="invalid_transition",
        )
    invited_batch = None

    def clear_invitation(row: CultivationCandidate, transition) -> None:
        nonlocal invited_batch
        invited_batch = row.invited_batch
        if action == "cancel_invitation":
            row.invited_batch = None

    def tell_withdrawn(row: CultivationCandidate, *, transition, actor, comment) -> None:
        if action != "cancel_invitation" or invited_batch is None:
            return
        _notify_members(
            row,
            subject=_("申报邀请已撤回：%(batch)s") % {"batch": invited_batch.title},
            body=_("%(county)s工信部门撤回了邀请您申报「%(batch)s」%(type)s的通知。%(comment)s")
            % {
                "county": row.county.name,
                "batch": invited_batch.title,
                "type": row.get_target_unit_type_display(),
                "comment": comment,
            },
            link=reverse("dashboard"),
        )

    try:
        # A savepoint, as _save keeps: a duplicate written meanwhile is refused in words.
        with transaction.atomic():
            return run_transition(
                workflow=pool_workflow,
                instance=candidate,
                action=action,
                actor=actor,
                comment=comment,
                queryset=CultivationCandidate.objects.select_related(
                    "organisation", "county", "invited_batch"
                ),
                check=lambda row: _require_keeper_of(actor, row),
                guards=CANDIDATE_GUARDS,
                before_save=clear_invitation,
                update_fields=["invited_batch", "updated_at"],
                effects=[tell_withdrawn],
                on_commit=False,
            )
    except IntegrityError:
        _refuse_duplicate(
            organisation=candidate.organisation,
            target_unit_type=candidate.target_unit_type,
            exclude_pk=candidate.pk,
        )
        raise


def invitation_link(*, batch: Batch, unit_type: str) -> str:
    """Where an invited organisation starts its application, batch and type filled in."""
    return reverse("applications:application-create") + f"?batch={batch.pk}&unit_type={unit_type}"


@transaction.atomic
def candidate_invite(
    *, candidate: CultivationCandidate, batch: Batch, actor, comment: str = ""
) -> CultivationCandidate:
    """Invite a candidate to apply in an open batch that covers its county and accepts its
    direction, and tell the organisation's users where to start."""
    batch = Batch.objects.select_related("jurisdiction").get(pk=batch.pk)

    def open_batch_for(row: CultivationCandidate, *, transition, actor, comment) -> list[str]:
        if batch.status != Batch.Status.OPEN:
            raise DomainError(
                _("批次「%(batch)s」当前状态为「%(state)s」，只能邀请申报中的批次。")
                % {"batch": batch.title, "state": batch.get_status_display()},
                code="batch_not_open",
                field="batch",
            )
        if not batch.jurisdiction.contains(row.county):
            raise DomainError(
                _("批次「%(batch)s」不受理%(county)s的申报。")
                % {"batch": batch.title, "county": row.county.name},
                code="batch_elsewhere",
                field="batch",
            )
        if row.target_unit_type not in batch.unit_types:
            raise DomainError(
                _("批次「%(batch)s」不受理%(type)s。")
                % {"batch": batch.title, "type": row.get_target_unit_type_display()},
                code="unit_type_not_accepted",
                field="batch",
            )
        if row.organisation.status != Organisation.Status.ACTIVE:
            raise DomainError(
                _("「%(name)s」当前状态为「%(state)s」，不能邀请申报。")
                % {
                    "name": row.organisation.name,
                    "state": row.organisation.get_status_display(),
                },
                code="organisation_inactive",
            )
        return []

    def name_batch(row: CultivationCandidate, transition) -> None:
        row.invited_batch = batch

    def tell_invited(row: CultivationCandidate, *, transition, actor, comment) -> None:
        deadline = timezone.localtime(batch.submission_deadline).strftime("%Y-%m-%d %H:%M")
        _notify_members(
            row,
            subject=_("邀请申报：%(batch)s") % {"batch": batch.title},
            body=_(
                "%(county)s工信部门邀请「%(name)s」在「%(batch)s」申报%(type)s，"
                "网上申报截止时间 %(deadline)s。%(comment)s"
            )
            % {
                "county": row.county.name,
                "name": row.organisation.name,
                "batch": batch.title,
                "type": row.get_target_unit_type_display(),
                "deadline": deadline,
                "comment": comment,
            },
            link=invitation_link(batch=batch, unit_type=row.target_unit_type),
        )

    return run_transition(
        workflow=pool_workflow,
        instance=candidate,
        action="invite",
        actor=actor,
        comment=comment,
        queryset=CultivationCandidate.objects.select_related(
            "organisation", "county", "invited_batch"
        ),
        check=lambda row: _require_keeper_of(actor, row),
        guards=[open_batch_for],
        before_save=name_batch,
        update_fields=["invited_batch", "updated_at"],
        audit_data={"batch": batch.pk, "batch_title": batch.title},
        effects=[tell_invited],
        on_commit=False,
    )


@transaction.atomic
def candidate_mark_applied(*, organisation: Organisation, unit_type: str) -> int:
    """The system records that an organisation in the pool has submitted its application.

    Called by the application service on submission; returns how many candidacies changed.
    """
    candidates = CultivationCandidate.objects.select_for_update().filter(
        organisation=organisation,
        target_unit_type=unit_type,
        status__in=(S.CULTIVATING, S.INVITED),
    )
    changed = 0
    for candidate in candidates:
        _system_transition(candidate, action="apply")
        changed += 1
    return changed


def candidate_mark_listed(*, organisation: Organisation, unit_type: str) -> int:
    """The system records that a candidate's application made it onto a published list."""
    candidates = CultivationCandidate.objects.select_for_update().filter(
        organisation=organisation, target_unit_type=unit_type, status=S.APPLIED
    )
    changed = 0
    for candidate in candidates:
        _system_transition(candidate, action="list")
        changed += 1
    return changed
