"""Commands on 申报批次: open a batch, edit it, set its quotas, move it along its workflow."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import POLICY_LABELS, Batch, BatchQuota
from applications.selectors.batches import can_manage_batch
from applications.workflow import BATCH_AUTHORS, OPENING_ACTIONS, batch_workflow
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.core.transitions import run_transition, transition_refusals
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from greenmfg.rules import UNIT_TYPES, batch_period_finding, policies
from greenmfg.rules import unit_types as policy_unit_types

# A batch is organised by a bureau of a city or a higher level (洛阳 第四条: the city selects).
AUTHORITY_LEVELS = (Level.CITY, Level.PROVINCE, Level.NATIONAL)
# Once published, a batch keeps what applicants rely on; only dates and the notice may change.
ALWAYS_EDITABLE = frozenset(
    {"submission_deadline", "paper_copy_deadline", "agency_report_deadline", "announcement"}
)
DRAFT_EDITABLE = ALWAYS_EDITABLE | {"title", "year", "policy", "unit_types"}
MAX_QUOTA = 32767  # the column is a PositiveSmallIntegerField
# An edit of these may move a batch out of its policy's 有效期, so they are checked again.
PERIOD_FIELDS = frozenset({"policy", "year", "submission_deadline"})


def policy_label(policy: str) -> str:
    return str(POLICY_LABELS.get(policy, policy))


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require_manager(actor, batch: Batch) -> None:
    if not can_manage_batch(user=actor, batch=batch):
        raise NotPermitted(
            _("只有组织该批次的工信部门（%(place)s）可以修改批次。")
            % {"place": batch.jurisdiction.name}
        )


def _authority_for(actor, authority: Organisation | None) -> Organisation:
    """The bureau that organises a new batch: the actor's own; an administrator names one."""
    if actor.is_sysadmin:
        authority = authority or (actor.organisation if actor.organisation_id else None)
        if authority is None:
            raise ValidationError({"authority": _("请选择组织该批次的工信部门。")})
    elif actor.effective_role in BATCH_AUTHORS and actor.organisation_id:
        if authority is not None and authority.pk != actor.organisation_id:
            raise NotPermitted(_("只能以本单位名义创建批次。"), field="authority")
        authority = actor.organisation
    else:
        raise NotPermitted(_("只有市级及以上工信部门可以创建申报批次。"))
    if (
        authority.kind != Organisation.Kind.BUREAU
        or authority.jurisdiction.level not in AUTHORITY_LEVELS
    ):
        raise ValidationError({"authority": _("申报批次须由市级及以上工业和信息化主管部门组织。")})
    return authority


def _validate(batch: Batch) -> None:
    """Every rule a batch's fields obey, whatever its state; all refusals at once."""
    errors: dict[str, str] = {}
    batch.title = (batch.title or "").strip()
    if not batch.title:
        errors["title"] = _("请填写批次名称。")
    if not isinstance(batch.year, int) or not 2000 <= batch.year <= 2100:
        errors["year"] = _("请填写有效的年度。")
    if batch.policy not in policies():
        errors["policy"] = _("未知的政策：%(policy)s。") % {"policy": batch.policy}
    else:
        covered = policy_unit_types(batch.policy)
        chosen = list(dict.fromkeys(batch.unit_types or []))
        outside = [code for code in chosen if code not in covered]
        if not chosen:
            errors["unit_types"] = _("请至少选择一种受理类型。")
        elif outside:
            errors["unit_types"] = _("「%(policy)s」不涵盖%(types)s，可受理：%(covered)s。") % {
                "policy": policy_label(batch.policy),
                "types": "、".join(str(UNIT_TYPES.get(code, code)) for code in outside),
                "covered": "、".join(str(UNIT_TYPES[code]) for code in covered),
            }
        else:
            batch.unit_types = [code for code in covered if code in chosen]
    if batch.submission_deadline is None:
        errors["submission_deadline"] = _("请填写网上申报截止时间。")
    elif batch.paper_copy_deadline and batch.paper_copy_deadline < timezone.localdate(
        batch.submission_deadline
    ):
        errors["paper_copy_deadline"] = _("纸质材料报送截止日期不能早于网上申报截止时间。")
    if errors:
        raise ValidationError(errors)
    duplicate = (
        Batch.objects.filter(authority=batch.authority_id, year=batch.year, title=batch.title)
        .exclude(pk=batch.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if duplicate is not None:
        raise Conflict(
            _("本单位%(year)s年度已有名为「%(title)s」的批次。")
            % {"year": batch.year, "title": batch.title},
            existing_id=duplicate,
            field="title",
        )


def _check_period(batch: Batch, *, action: str) -> None:
    """The batch must run while its policy is in force (洛阳 第二十六条 有效期五年; 济南
    第二十六条 有效期至2027年7月; 大连: its 2022年度 round).

    Judged on the batch's year and its 网上申报截止时间, not on today: a document governs the
    days a batch takes applications, and those applications are judged under it up to the
    deadline (see ``greenmfg.rules.batch_period_finding``). Checked when a batch is created or
    its policy, year or deadline changes, never on its other edits: batches made before this
    check stay as they are.
    """
    finding = batch_period_finding(
        batch.policy,
        year=batch.year,
        deadline=timezone.localdate(batch.submission_deadline),
        action=action,
    )
    if not finding.passed:
        raise ValidationError({"policy": finding.message}, code="policy_period")


def _save(batch: Batch, **kwargs) -> None:
    try:
        # A savepoint, so a concurrent duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            batch.save(**kwargs)
    except IntegrityError:
        _validate(batch)
        raise


def _same(current, value) -> bool:
    if isinstance(current, list) and isinstance(value, list):
        return set(current) == set(value)  # unit types: the order of the checkboxes is no change
    return current == value


def _jsonable(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def batch_create(
    *,
    actor,
    title: str,
    year: int,
    policy: str,
    unit_types: list[str],
    submission_deadline: datetime,
    paper_copy_deadline: date | None = None,
    agency_report_deadline: date | None = None,
    announcement: str = "",
    authority: Organisation | None = None,
) -> Batch:
    """A city, province or national bureau drafts a batch for its own jurisdiction.

    ``authority`` is only for the system administrator, who belongs to no bureau.
    """
    authority = _authority_for(actor, authority)
    batch = Batch(
        authority=authority,
        jurisdiction=authority.jurisdiction,
        title=title,
        year=year,
        policy=policy,
        unit_types=list(unit_types or []),
        submission_deadline=submission_deadline,
        paper_copy_deadline=paper_copy_deadline,
        agency_report_deadline=agency_report_deadline,
        announcement=announcement.strip(),
        status=Batch.Status.DRAFT,
    )
    _validate(batch)
    _check_period(batch, action=_("创建"))
    _save(batch)
    audit_record(
        subject=batch,
        actor=actor,
        action="create",
        action_label=_("创建批次"),
        to_state=batch.status,
        state_labels=batch_workflow.states,
    )
    return batch


@transaction.atomic
def batch_update(*, batch: Batch, actor, **changes) -> Batch:
    """Change a batch's fields: any while it is a draft; once published only the deadlines
    and the announcement. Unchanged values are ignored, so a form may send them all."""
    unknown = set(changes) - DRAFT_EDITABLE
    if unknown:
        raise TypeError(f"batch_update() got unexpected fields: {sorted(unknown)}")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("jurisdiction")
        .get(pk=batch.pk)
    )
    _require_manager(actor, batch)
    if "announcement" in changes:
        changes["announcement"] = (changes["announcement"] or "").strip()
    if "unit_types" in changes:
        changes["unit_types"] = list(changes["unit_types"] or [])
    changed = {
        field: value for field, value in changes.items() if not _same(getattr(batch, field), value)
    }
    if not changed:
        return batch
    if batch.status != Batch.Status.DRAFT:
        locked = sorted(set(changed) - ALWAYS_EDITABLE)
        if locked:
            raise DomainError(
                _("批次当前状态为「%(state)s」，只能修改截止时间和申报通知。")
                % {"state": batch.get_status_display()},
                code="batch_published",
                field=locked[0],
            )
    before = {field: _jsonable(getattr(batch, field)) for field in changed}
    for field, value in changed.items():
        setattr(batch, field, value)
    _validate(batch)
    if PERIOD_FIELDS & set(changed):
        _check_period(batch, action=_("组织"))
    if (
        batch.status == Batch.Status.OPEN
        and "submission_deadline" in changed
        and batch.submission_deadline <= clock.now()
    ):
        raise ValidationError(
            {"submission_deadline": _("申报中的批次，网上申报截止时间不能早于当前时间。")}
        )
    _save(batch)
    audit_record(
        subject=batch,
        actor=actor,
        action="update",
        action_label=_("修改批次"),
        from_state=batch.status,
        to_state=batch.status,
        data={
            "changes": {
                field: [before[field], _jsonable(getattr(batch, field))] for field in changed
            }
        },
        state_labels=batch_workflow.states,
    )
    return batch


@transaction.atomic
def batch_set_quotas(*, batch: Batch, actor, quotas: dict[Jurisdiction, int]) -> list[BatchQuota]:
    """Replace the batch's recommendation quotas (推荐名额), one per direct child jurisdiction.

    A child left out has no quota. The trail keeps the quotas before and after.
    """
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("jurisdiction")
        .get(pk=batch.pk)
    )
    _require_manager(actor, batch)
    errors = []
    for jurisdiction, value in quotas.items():
        if jurisdiction.parent_id != batch.jurisdiction_id:
            errors.append(
                _("「%(place)s」不是%(root)s的直属下级区划，不能分配名额。")
                % {"place": jurisdiction.name, "root": batch.jurisdiction.name}
            )
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(
                _("「%(place)s」的推荐名额须为不小于 0 的整数。") % {"place": jurisdiction.name}
            )
        elif value > MAX_QUOTA:
            errors.append(
                _("「%(place)s」的推荐名额不能超过 %(max)d。")
                % {"place": jurisdiction.name, "max": MAX_QUOTA}
            )
    if errors:
        raise ValidationError({"quotas": errors})
    previous = {
        row.county.key: (row.county.name, row.quota)
        for row in BatchQuota.objects.filter(batch=batch).select_related("county")
    }
    BatchQuota.objects.filter(batch=batch).delete()
    rows = BatchQuota.objects.bulk_create(
        BatchQuota(batch=batch, county=jurisdiction, quota=value)
        for jurisdiction, value in sorted(quotas.items(), key=lambda item: item[0].path)
    )
    after = {row.county.key: (row.county.name, row.quota) for row in rows}
    summary = [
        f"{(previous.get(key) or after.get(key))[0]}："
        f"{previous[key][1] if key in previous else _('未设')}→"
        f"{after[key][1] if key in after else _('未设')}"
        for key in sorted(set(previous) | set(after))
        if previous.get(key) != after.get(key)
    ]
    audit_record(
        subject=batch,
        actor=actor,
        action="set_quotas",
        action_label=_("设置推荐名额"),
        from_state=batch.status,
        to_state=batch.status,
        comment="；".join(summary),
        data={
            "before": [
                {"key": key, "name": name, "quota": quota}
                for key, (name, quota) in sorted(previous.items())
            ],
            "after": [
                {"key": key, "name": name, "quota": quota}
                for key, (name, quota) in sorted(after.items())
            ],
        },
        state_labels=batch_workflow.states,
    )
    return rows


def _notify_children(batch: Batch, *, reopened: bool) -> None:
    """Tell the bureaus one level down that they can now organise their applicants."""
    subject = (_("申报批次重新开放：%(title)s") if reopened else _("新的申报批次：%(title)s")) % {
        "title": batch.title
    }
    body = _(
        "%(authority)s%(verb)s「%(title)s」（%(policy)s），受理%(types)s，"
        "网上申报截止时间 %(deadline)s。请组织本辖区的申报和推荐工作。"
    ) % {
        "authority": batch.authority.name,
        "verb": _("重新开放了") if reopened else _("发布了"),
        "title": batch.title,
        "policy": policy_label(batch.policy),
        "types": "、".join(batch.unit_type_labels()),
        "deadline": _local(batch.submission_deadline),
    }
    link = reverse("applications:batch-detail", args=[batch.pk])
    for child in Jurisdiction.objects.filter(parent_id=batch.jurisdiction_id).order_by("path"):
        for official in officials_of(jurisdiction=child):
            notify(recipient=official, subject=subject, body=body, link=link)


def _guard_opening(batch: Batch, action_label: str) -> None:
    """What must hold when a batch goes into 申报中 (发布, 重新开放): its deadline is ahead, and
    its year and deadline fall in its policy's 有效期. The period was checked when the batch was
    created or its policy, year or deadline changed; it is checked again here because a batch
    made before that check, or one whose policy has since run out, must not take applications
    under a document no longer in force. The refusal is the create refusal's, with this action.
    """
    if batch.submission_deadline <= clock.now():
        raise DomainError(
            _("网上申报截止时间（%(deadline)s）已过，请先修改截止时间再%(action)s。")
            % {"deadline": _local(batch.submission_deadline), "action": action_label},
            code="deadline_passed",
            field="submission_deadline",
        )
    finding = batch_period_finding(
        batch.policy,
        year=batch.year,
        deadline=timezone.localdate(batch.submission_deadline),
        action=action_label,
    )
    if not finding.passed:
        raise DomainError(finding.message, code="policy_period", field="policy")


def _guard_opening_step(row: Batch, *, transition, actor, comment) -> list[str]:
    """The guard of 发布 and 重新开放 (see :func:`_guard_opening`); it raises its refusal."""
    if transition.action in OPENING_ACTIONS:
        _guard_opening(row, transition.label)
    return []


# What batch_transition asks before a step, and batch_refusals previews: one code path.
BATCH_GUARDS = (_guard_opening_step,)


def batch_refusals(*, batch: Batch, action: str, actor) -> list[str]:
    """Why :func:`batch_transition` would refuse ``action`` now (empty when it would not)."""
    return transition_refusals(
        workflow=batch_workflow,
        instance=batch,
        action=action,
        actor=actor,
        check=lambda row: _require_manager(actor, row),
        guards=BATCH_GUARDS,
    )


@transaction.atomic
def batch_transition(*, batch: Batch, action: str, actor, comment: str = "") -> Batch:
    """Publish, close or reopen a batch (see batch_workflow), with its trail and notices."""

    def notify_children(row: Batch, *, transition, actor, comment) -> None:
        if row.status == Batch.Status.OPEN:
            _notify_children(row, reopened=action == "reopen")

    return run_transition(
        workflow=batch_workflow,
        instance=batch,
        action=action,
        actor=actor,
        comment=comment,
        queryset=Batch.objects.select_related("jurisdiction", "authority"),
        check=lambda row: _require_manager(actor, row),
        guards=BATCH_GUARDS,
        update_fields=["updated_at"],
        effects=[notify_children],
        on_commit=False,
    )
