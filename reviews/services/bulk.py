"""批量办理: the same workflow step on several applications at once.

Each command loops over the selected applications and takes each one through the existing
single-application service (:func:`applications.services.applications.application_transition`,
:func:`reviews.services.expert.assignment_auto`), each in its own transaction, so that every
guard, row lock, audit entry and notification applies exactly as when the step is taken by hand,
and one refusal never undoes the others. The result lists every application asked for, in the
order it was handled, with 成功 or the refusal's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, Batch
from applications.selectors.applications import application_list
from applications.services.applications import application_transition
from greenmfg.core.errors import DomainError, NotPermitted
from reviews.selectors.bulk import BULK_AUTHORITY_ROLES, COUNTY_ROLES
from reviews.selectors.expert import panel_size
from reviews.services.expert import assignment_auto

MAX_SELECTED = 200


@dataclass(frozen=True)
class BulkResult:
    """What happened to one application: 成功, or why not."""

    application_id: int
    name: str
    ok: bool
    message: str
    reasons: list[str] = field(default_factory=list, hash=False)
    status: str = ""
    status_label: str = ""
    detail: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    action: str
    label: str
    results: list[BulkResult] = field(hash=False)

    @property
    def succeeded(self) -> int:
        return sum(1 for result in self.results if result.ok)

    @property
    def failed(self) -> int:
        return len(self.results) - self.succeeded


def success_label() -> str:
    return _("成功")


def clean_ids(values: Iterable) -> list[int]:
    """The selected ids as integers, duplicates dropped, in the order given."""
    ids: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"applications": _("申报编号「%(value)s」无效。") % {"value": value}}
            ) from None
        if number > 0 and number not in ids:
            ids.append(number)
    if not ids:
        raise ValidationError({"applications": _("请至少选择一项申报。")})
    if len(ids) > MAX_SELECTED:
        raise ValidationError(
            {"applications": _("一次最多办理 %(max)d 项申报。") % {"max": MAX_SELECTED}}
        )
    return ids


def _require_role(actor, roles: frozenset[str], message: str) -> None:
    if not actor.is_authenticated or actor.effective_role not in roles:
        raise NotPermitted(message)


def _visible(*, actor, ids: list[int], batch: Batch | None) -> tuple[dict, list[BulkResult]]:
    """The selected applications the actor may see (in one query), and a refusal for each of the
    others: unknown, out of the actor's scope, or of another batch than the page's."""
    found = {
        application.pk: application
        for application in application_list(user=actor)
        .filter(pk__in=ids)
        .select_related("county_review")
    }
    refused = []
    for pk in ids:
        application = found.get(pk)
        if application is None:
            refused.append(
                BulkResult(pk, "", False, _("未找到该申报，或该申报不在您的管辖范围内。"))
            )
        elif batch is not None and application.batch_id != batch.pk:
            del found[pk]
            refused.append(
                BulkResult(
                    pk,
                    str(application),
                    False,
                    _("该申报不属于批次「%(batch)s」。") % {"batch": batch.title},
                )
            )
    return found, refused


def _refusal(application: Application, error: DomainError | ValidationError) -> BulkResult:
    if isinstance(error, DomainError):
        message, reasons = error.message, list(error.reasons)
    else:
        reasons = list(error.messages)
        message = " ".join(reasons)
    return BulkResult(
        application.pk,
        str(application),
        False,
        message,
        reasons=reasons,
        status=application.status,
        status_label=application.get_status_display(),
    )


def _run_each(
    applications: list[Application], step: Callable[[Application], tuple[Application, str]]
) -> list[BulkResult]:
    results = []
    for application in applications:
        try:
            # Each application commits or rolls back on its own: a refusal undoes only its step.
            with transaction.atomic():
                updated, detail = step(application)
        except (DomainError, ValidationError) as error:
            application.refresh_from_db(fields=["status"])
            results.append(_refusal(application, error))
            continue
        results.append(
            BulkResult(
                updated.pk,
                str(updated),
                True,
                success_label(),
                status=updated.status,
                status_label=updated.get_status_display(),
                detail=detail,
            )
        )
    return results


def _in_order(found: dict[int, Application], ids: list[int]) -> list[Application]:
    return [found[pk] for pk in ids if pk in found]


def _rank_key(application: Application):
    review = getattr(application, "county_review", None)
    rank = review.rank if review is not None else None
    return (rank is None, rank or 0, application.pk)


def _transition_step(action: str, actor, comment: str):
    def step(application: Application) -> tuple[Application, str]:
        updated = application_transition(
            application=application, action=action, actor=actor, comment=comment
        )
        return updated, ""

    return step


def bulk_recommend(
    *, actor, applications: Iterable, comment: str = "", batch: Batch | None = None
) -> BulkOutcome:
    """批量推荐: the county recommends the selected applications in the order of its ranking
    (CountyReview.rank, unranked last). The quota is a ceiling: once it is reached, the guard
    refuses the rest with its message."""
    _require_role(actor, COUNTY_ROLES, _("批量推荐由申报单位所在县（区）工信部门办理。"))
    ids = clean_ids(applications)
    found, refused = _visible(actor=actor, ids=ids, batch=batch)
    ordered = sorted(found.values(), key=_rank_key)
    results = _run_each(ordered, _transition_step("recommend", actor, comment or ""))
    return BulkOutcome("recommend", _("批量推荐"), results + refused)


def bulk_start_expert_review(
    *, actor, applications: Iterable, comment: str = "", batch: Batch | None = None
) -> BulkOutcome:
    """批量开始专家评审并分配专家: fill each recommended application's panel automatically
    (all or nothing, :func:`assignment_auto`) where it is incomplete, then start its expert
    review. When either step is refused, neither is kept for that application."""
    _require_role(
        actor, BULK_AUTHORITY_ROLES, _("专家评审由批次组织单位（市、省、国家工信部门）办理。")
    )
    ids = clean_ids(applications)
    found, refused = _visible(actor=actor, ids=ids, batch=batch)

    def step(application: Application) -> tuple[Application, str]:
        detail = ""
        if application.status == Application.Status.RECOMMENDED and panel_size(
            application=application
        ) < (application.batch.experts_per_application):
            created = assignment_auto(application=application, actor=actor)
            detail = _("自动分配 %(count)d 名专家：%(names)s") % {
                "count": len(created),
                "names": "、".join(a.expert.display_name for a in created),
            }
        updated = application_transition(
            application=application, action="start_expert_review", actor=actor, comment=comment
        )
        return updated, detail

    results = _run_each(_in_order(found, ids), step)
    return BulkOutcome("start_expert_review", _("批量开始专家评审并分配专家"), results + refused)


def bulk_decide_pass(
    *, actor, applications: Iterable, comment: str = "", batch: Batch | None = None
) -> BulkOutcome:
    """批量决定: decide 评审通过 where the scores and the policy allow it (the ``decide_pass``
    guard), and otherwise report the guard's reasons."""
    _require_role(
        actor, BULK_AUTHORITY_ROLES, _("评审决定由批次组织单位（市、省、国家工信部门）作出。")
    )
    ids = clean_ids(applications)
    found, refused = _visible(actor=actor, ids=ids, batch=batch)
    results = _run_each(_in_order(found, ids), _transition_step("decide_pass", actor, comment))
    return BulkOutcome("decide_pass", _("批量决定（评审通过）"), results + refused)


def bulk_decide_fail(
    *, actor, applications: Iterable, comment: str, batch: Batch | None = None
) -> BulkOutcome:
    """批量不通过: decide 评审不通过 for every selected application, with the one reason given."""
    _require_role(
        actor, BULK_AUTHORITY_ROLES, _("评审决定由批次组织单位（市、省、国家工信部门）作出。")
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("批量不通过须填写理由。")})
    ids = clean_ids(applications)
    found, refused = _visible(actor=actor, ids=ids, batch=batch)
    results = _run_each(_in_order(found, ids), _transition_step("decide_fail", actor, comment))
    return BulkOutcome("decide_fail", _("批量不通过"), results + refused)


BULK_COMMANDS = {
    "recommend": bulk_recommend,
    "start_expert_review": bulk_start_expert_review,
    "decide_pass": bulk_decide_pass,
    "decide_fail": bulk_decide_fail,
}

__all__ = [
    "BULK_COMMANDS",
    "BulkOutcome",
    "BulkResult",
    "bulk_decide_fail",
    "bulk_decide_pass",
    "bulk_recommend",
    "bulk_start_expert_review",
    "clean_ids",
]
