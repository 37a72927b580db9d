"""评审设置: the review phases of a batch as data, edited by the bureau that opened it.

The settings live on :class:`applications.models.Batch` (which scoring template each unit type
uses, how many experts score an application and how their totals combine, and the phase
switches and deadlines). :func:`batch_update_review_settings` is the one command that changes
them; the refusal helpers below are what the recommendation guard and the sheet submission
call to enforce the switches.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Batch
from applications.selectors.batches import is_batch_authority
from applications.workflow import batch_workflow
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.rules import UNIT_TYPES
from reviews.models import ScoreSheet
from reviews.scoring import AGGREGATION_METHODS, TRIMMED_MEAN
from reviews.selectors.template import available_templates, template_by_key

# Every field the command changes, in the order the form and the trail show them.
REVIEW_SETTINGS = (
    "scoring_templates",
    "experts_per_application",
    "aggregation",
    "scoring_open",
    "scoring_deadline",
    "experts_see_others",
    "recommendations_open",
    "recommendation_deadline",
    "applicants_may_edit",
    "publicity_days",
)
SWITCHES = (
    "scoring_open",
    "experts_see_others",
    "recommendations_open",
    "applicants_may_edit",
)
# Fixed once an expert has submitted a sheet: the sheets already in were scored by them.
SCORING_LOCKED = ("scoring_templates", "experts_per_application")
EXPERTS_MIN, EXPERTS_MAX = 1, 15
PUBLICITY_MIN, PUBLICITY_MAX = 1, 60
# Dropping the highest and the lowest total leaves something to average only from 3 on.
TRIMMED_MEAN_MIN_EXPERTS = 3


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _label(field: str) -> str:
    return str(Batch._meta.get_field(field).verbose_name)


def can_edit_review_settings(*, user, batch: Batch) -> bool:
    """Officials of the bureau that opened the batch, and administrators."""
    return is_batch_authority(user=user, batch=batch)


def submitted_sheet_count(*, batch: Batch) -> int:
    return ScoreSheet.objects.filter(
        assignment__application__batch=batch, status=ScoreSheet.Status.SUBMITTED
    ).count()


def template_choices(*, batch: Batch) -> dict[str, list]:
    """The templates of each unit type the batch accepts (a type may have none): the shipped
    ones and the active versions administrators added."""
    return {unit_type: available_templates(unit_type) for unit_type in batch.unit_types}


# --- Enforcement: what the recommendation guard and the sheet submission ask ---


def recommendation_refusal(*, batch: Batch, at: datetime | None = None) -> str | None:
    """Why no recommendation into ``batch`` is accepted now; None while they are."""
    if batch.accepts_recommendations(at=at):
        return None
    if not batch.recommendations_open:
        return _("批次「%(batch)s」已停止接收推荐。") % {"batch": batch.title}
    return _("批次「%(batch)s」的推荐截止时间（%(deadline)s）已过，不能再推荐。") % {
        "batch": batch.title,
        "deadline": _local(batch.recommendation_deadline),
    }


def require_before_scoring_deadline(*, batch: Batch, today: date | None = None) -> None:
    """Refuse a score sheet submitted after the batch's 专家评分截止日期 (that day still counts)."""
    today = today or clock.today()
    if batch.scoring_deadline is not None and today > batch.scoring_deadline:
        raise DomainError(
            _("批次「%(batch)s」的专家评分已于 %(date)s 截止，不能再提交评分。")
            % {"batch": batch.title, "date": batch.scoring_deadline.strftime("%Y-%m-%d")},
            code="scoring_deadline_passed",
        )


# --- The command ---


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _normalise_templates(value):
    """A mapping unit type → template key; an empty key means "the newest" and is dropped."""
    if not isinstance(value, dict):
        return value
    return {
        str(unit_type): key.strip() if isinstance(key, str) else key
        for unit_type, key in value.items()
        if not (key is None or (isinstance(key, str) and not key.strip()))
    }


def _template_errors(batch: Batch, current: dict, wanted) -> list[str]:
    """The problems of the template entries that are new or changed (stale ones are kept)."""
    if not isinstance(wanted, dict):
        return [_("评分模板须为“申报类型 → 模板”的对应关系。")]
    errors = []
    for unit_type, key in wanted.items():
        if current.get(unit_type) == key:
            continue
        type_label = str(UNIT_TYPES.get(unit_type, unit_type))
        if unit_type not in UNIT_TYPES:
            errors.append(_("未知的申报类型：%(type)s。") % {"type": unit_type})
            continue
        if unit_type not in batch.unit_types:
            errors.append(
                _("本批次不受理%(type)s，不能为其设置评分模板（受理类型：%(accepted)s）。")
                % {"type": type_label, "accepted": "、".join(batch.unit_type_labels())}
            )
            continue
        offered = available_templates(unit_type)
        available = "、".join(template.key for template in offered)
        template = template_by_key(key) if isinstance(key, str) else None
        if template is None:
            if available:
                errors.append(
                    _("%(type)s的评分模板「%(key)s」不存在，可选：%(available)s。")
                    % {"type": type_label, "key": key, "available": available}
                )
            else:
                errors.append(
                    _("%(type)s尚无评分模板，不能设置「%(key)s」。")
                    % {"type": type_label, "key": key}
                )
        elif template.unit_type != unit_type:
            errors.append(
                _("评分模板「%(key)s」用于%(other)s，不能用于%(type)s，可选：%(available)s。")
                % {
                    "key": key,
                    "other": UNIT_TYPES.get(template.unit_type, template.unit_type),
                    "type": type_label,
                    "available": available or _("无"),
                }
            )
        elif template.key not in {t.key for t in offered}:
            errors.append(
                _("评分模板「%(key)s」已停用，可选：%(available)s。")
                % {"key": key, "available": available or _("无")}
            )
    return errors


def _validate(batch: Batch, before: dict, changed: dict) -> None:
    """Every refusal of the changed values at once, by field (``batch`` holds the new values)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "scoring_templates" in changed:
        current = before["scoring_templates"] or {}
        for message in _template_errors(batch, current, changed["scoring_templates"]):
            refuse("scoring_templates", message)
    if "experts_per_application" in changed:
        value = batch.experts_per_application
        if not _is_int(value) or not EXPERTS_MIN <= value <= EXPERTS_MAX:
            refuse(
                "experts_per_application",
                _("每项申报专家人数须为 %(min)d 至 %(max)d 之间的整数。")
                % {"min": EXPERTS_MIN, "max": EXPERTS_MAX},
            )
    if "aggregation" in changed and batch.aggregation not in AGGREGATION_METHODS:
        refuse(
            "aggregation",
            _("得分计算方式须为%(methods)s之一。")
            % {"methods": "、".join(f"「{label}」" for label in AGGREGATION_METHODS.values())},
        )
    if (
        ("aggregation" in changed or "experts_per_application" in changed)
        and "experts_per_application" not in errors
        and batch.aggregation == TRIMMED_MEAN
        and batch.experts_per_application < TRIMMED_MEAN_MIN_EXPERTS
    ):
        refuse(
            "aggregation" if "aggregation" in changed else "experts_per_application",
            _("「去掉最高分和最低分后平均」至少需要 %(min)d 位专家，每项申报专家人数为 %(count)d。")
            % {"min": TRIMMED_MEAN_MIN_EXPERTS, "count": batch.experts_per_application},
        )
    for field in SWITCHES:
        if field in changed and not isinstance(getattr(batch, field), bool):
            refuse(field, _("「%(label)s」须为是或否。") % {"label": _label(field)})
    if "publicity_days" in changed:
        value = batch.publicity_days
        if not _is_int(value) or not PUBLICITY_MIN <= value <= PUBLICITY_MAX:
            refuse(
                "publicity_days",
                _("公示期须为 %(min)d 至 %(max)d 天。")
                % {"min": PUBLICITY_MIN, "max": PUBLICITY_MAX},
            )
    today = clock.today()
    if "scoring_deadline" in changed and batch.scoring_deadline is not None:
        value = batch.scoring_deadline
        if not isinstance(value, date) or isinstance(value, datetime):
            refuse("scoring_deadline", _("请填写有效的专家评分截止日期。"))
        elif value < today:
            refuse(
                "scoring_deadline",
                _("专家评分截止日期（%(date)s）不能早于今天（%(today)s）。")
                % {"date": value.strftime("%Y-%m-%d"), "today": today.strftime("%Y-%m-%d")},
            )
    if "recommendation_deadline" in changed and batch.recommendation_deadline is not None:
        value = batch.recommendation_deadline
        if not isinstance(value, datetime):
            refuse("recommendation_deadline", _("请填写有效的推荐截止时间。"))
        elif value <= clock.now():
            refuse(
                "recommendation_deadline",
                _("推荐截止时间（%(deadline)s）不能早于当前时间；如需停止推荐，请关闭“接收推荐”。")
                % {"deadline": _local(value)},
            )
    if (
        ("recommendation_deadline" in changed or "scoring_deadline" in changed)
        and "recommendation_deadline" not in errors
        and "scoring_deadline" not in errors
        and batch.recommendation_deadline is not None
        and batch.scoring_deadline is not None
        and timezone.localdate(batch.recommendation_deadline) > batch.scoring_deadline
    ):
        # Experts score what was recommended: recommendations close before scoring does.
        refuse(
            "recommendation_deadline"
            if "recommendation_deadline" in changed
            else "scoring_deadline",
            _("推荐截止时间（%(deadline)s）不能晚于专家评分截止日期（%(date)s）。")
            % {
                "deadline": _local(batch.recommendation_deadline),
                "date": batch.scoring_deadline.strftime("%Y-%m-%d"),
            },
        )
    if errors:
        raise ValidationError(errors)


def _jsonable(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _shown(field: str, value) -> str:
    """A value as the trail's comment reads it."""
    if value is None or value == {}:
        return _("未设") if field != "scoring_templates" else _("默认（最新版本）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if field == "aggregation":
        return AGGREGATION_METHODS.get(value, value)
    if field == "scoring_templates":
        return "、".join(
            f"{UNIT_TYPES.get(unit_type, unit_type)} {key}" for unit_type, key in value.items()
        )
    return str(value)


@transaction.atomic
def batch_update_review_settings(*, batch: Batch, actor, **changes) -> Batch:
    """Change the batch's review settings (see REVIEW_SETTINGS); unchanged values are ignored,
    so a form may send them all. One trail entry keeps each changed field before and after."""
    unknown = set(changes) - set(REVIEW_SETTINGS)
    if unknown:
        raise TypeError(f"batch_update_review_settings() got unexpected fields: {sorted(unknown)}")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("authority", "jurisdiction")
        .get(pk=batch.pk)
    )
    if not can_edit_review_settings(user=actor, batch=batch):
        raise NotPermitted(
            _("评审设置由批次组织单位「%(authority)s」修改。") % {"authority": batch.authority.name}
        )
    if "scoring_templates" in changes:
        changes["scoring_templates"] = _normalise_templates(changes["scoring_templates"])
    deadline = changes.get("recommendation_deadline")
    if isinstance(deadline, datetime) and timezone.is_naive(deadline):
        changes["recommendation_deadline"] = timezone.make_aware(deadline)
    changed = {field: value for field, value in changes.items() if getattr(batch, field) != value}
    if not changed:
        return batch
    before = {field: getattr(batch, field) for field in REVIEW_SETTINGS}
    for field, value in changed.items():
        setattr(batch, field, value)
    _validate(batch, before, changed)
    locked = [field for field in SCORING_LOCKED if field in changed]
    if locked:
        submitted = submitted_sheet_count(batch=batch)
        if submitted:
            raise DomainError(
                _(
                    "本批次已有 %(count)d 份评分表提交，不能再修改%(fields)s"
                    "（已提交的评分按原设置计分）。"
                )
                % {"count": submitted, "fields": "、".join(_label(field) for field in locked)},
                code="scoring_started",
                field=locked[0],
            )
    batch.save(update_fields=[*changed, "updated_at"])
    ordered = [field for field in REVIEW_SETTINGS if field in changed]
    audit_record(
        subject=batch,
        actor=actor,
        action="update_review_settings",
        action_label=_("修改评审设置"),
        from_state=batch.status,
        to_state=batch.status,
        comment="；".join(
            f"{_label(field)}：{_shown(field, before[field])}→{_shown(field, changed[field])}"
            for field in ordered
        ),
        data={
            "changes": {
                field: [_jsonable(before[field]), _jsonable(changed[field])] for field in ordered
            }
        },
        state_labels=batch_workflow.states,
    )
    return batch
