"""Commands of the county's initial review (初审) and the departments' opinions (征求意见)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Organisation, bureau_place_q
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from reviews.checklists import REQUIRED_DEPARTMENTS, REQUIRED_DEPARTMENTS_CITATION, checklist_for
from reviews.models import CountyReview, OpinionAttachment, OpinionRequest
from reviews.selectors.review import quota_row, recommended_count
from reviews.services.phase import recommendation_refusal

# CountyReview.rank is a PositiveSmallIntegerField.
RANK_MAX = 32767


def _require_county(actor, application: Application) -> None:
    if actor.role not in (Role.COUNTY_OFFICIAL, Role.SYSADMIN) and not actor.is_superuser:
        raise NotPermitted(_("初审由申报单位所在县（区）工信部门办理。"))
    if not can_oversee(actor, application.jurisdiction):
        raise NotPermitted(_("该申报不在您的管辖范围内。"))


def _require_in_review(application: Application) -> None:
    if application.status != Application.Status.COUNTY_REVIEW:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不在初审阶段。")
            % {"state": application.get_status_display()},
            code="not_in_review",
        )


@transaction.atomic
def county_review_save(
    *, application: Application, actor, checklist: dict[str, bool], rank: int | None, notes: str
) -> CountyReview:
    """Record the county's checklist, its ranking of the candidate and its notes."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(actor, application)
    _require_in_review(application)
    items = {item.code for item in checklist_for(application.unit_type)}
    unknown = set(checklist) - items
    if unknown:
        raise ValidationError(
            {"checklist": _("未知的核对项：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    # The column is a smallint: a larger rank would be a database error (PostgreSQL), not a refusal.
    if rank is not None and not 1 <= rank <= RANK_MAX:
        raise ValidationError({"rank": _("排序应为 1 至 %(max)d 之间的整数。") % {"max": RANK_MAX}})
    review, _created = CountyReview.objects.get_or_create(application=application)
    before = {"checklist": review.checklist, "rank": review.rank}
    review.checklist = {code: bool(checklist.get(code)) for code in sorted(items)}
    review.rank = rank
    review.notes = notes.strip()
    review.reviewer = actor
    review.save()
    audit_record(
        subject=application,
        actor=actor,
        action="county_review",
        action_label=_("保存初审意见"),
        comment=review.notes,
        data={"before": before, "after": {"checklist": review.checklist, "rank": rank}},
    )
    return review


@transaction.atomic
def opinion_request_send(
    *,
    application: Application,
    actor,
    departments: list[Organisation],
    message: str = "",
    due_date=None,
) -> list[OpinionRequest]:
    """Ask the applicant's county's departments for their opinion (one request each)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(actor, application)
    _require_in_review(application)
    if not departments:
        raise ValidationError({"departments": _("请至少选择一个征求意见部门。")})
    home = set(
        Organisation.objects.filter(
            bureau_place_q(application.jurisdiction), pk__in=[d.pk for d in departments]
        ).values_list("pk", flat=True)
    )
    for department in departments:
        if department.kind != Organisation.Kind.DEPARTMENT or department.pk not in home:
            raise ValidationError(
                {
                    "departments": _("「%(name)s」不是本县（区）的征求意见部门。")
                    % {"name": department.name}
                }
            )
    if due_date is not None and due_date < clock.today():
        raise ValidationError({"due_date": _("回复期限不能早于今天。")})
    already = set(
        OpinionRequest.objects.filter(
            application=application, department__in=departments
        ).values_list("department_id", flat=True)
    )
    created = []
    link = reverse("reviews:opinion-list")
    for department in departments:
        if department.pk in already:
            continue
        request = OpinionRequest.objects.create(
            application=application,
            department=department,
            message=message.strip(),
            due_date=due_date,
            requested_by=actor,
        )
        created.append(request)
        for member in department.users.filter(is_active=True):
            notify(
                recipient=member,
                subject=_("征求意见：%(name)s") % {"name": str(application)},
                body=_("%(county)s工信部门就「%(name)s」的绿色制造申报征求贵部门意见。%(due)s")
                % {
                    "county": application.jurisdiction.name,
                    "name": str(application),
                    "due": _("请于 %(date)s 前回复。") % {"date": due_date} if due_date else "",
                },
                link=reverse("reviews:opinion-detail", args=[request.pk]),
            )
    if not created:
        raise DomainError(_("所选部门均已征求过意见。"), code="already_requested")
    audit_record(
        subject=application,
        actor=actor,
        action="request_opinions",
        action_label=_("征求部门意见"),
        comment="、".join(request.department.name for request in created),
        data={"departments": [request.department_id for request in created], "link": link},
    )
    return created


@transaction.atomic
def opinion_answer(
    *, request: OpinionRequest, actor, answer: str, reasons: str = "", files=()
) -> OpinionRequest:
    """A consulted department answers: no objection, or objection with its reasons."""
    request = (
        OpinionRequest.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=request.pk)
    )
    if actor.role != Role.DEPARTMENT_OFFICIAL or actor.organisation_id != request.department_id:
        raise NotPermitted(_("只有被征求意见的部门可以回复。"))
    if request.status != OpinionRequest.Status.PENDING:
        when = timezone.localtime(request.answered_at).strftime("%Y-%m-%d %H:%M")
        raise DomainError(_("该征求意见已于 %(when)s 回复。") % {"when": when})
    if answer not in OpinionRequest.Answer.values:
        raise ValidationError({"answer": _("请选择“无异议”或“有异议”。")})
    if answer == OpinionRequest.Answer.OBJECTION and not reasons.strip():
        raise ValidationError({"reasons": _("提出异议须写明理由。")})
    checked = [
        check_upload(uploaded, pdf_only=False, max_bytes=SUPPORTING_MAX_BYTES) for uploaded in files
    ]
    request.answer = answer
    request.reasons = reasons.strip()
    request.status = OpinionRequest.Status.ANSWERED
    request.answered_by = actor
    request.answered_at = clock.now()
    request.save()
    for result in checked:
        attachment = OpinionAttachment(request=request)
        attachment.fill_from(result, uploaded_by=actor)
        attachment.save()
    audit_record(
        subject=request.application,
        actor=actor,
        action="answer_opinion",
        action_label=_("部门回复意见"),
        comment=f"{request.department.name}：{request.get_answer_display()}。{request.reasons}",
        data={"request": request.pk, "answer": answer},
    )
    notify(
        recipient=request.requested_by,
        subject=_("%(department)s已回复：%(answer)s")
        % {"department": request.department.name, "answer": request.get_answer_display()},
        body=_("关于「%(name)s」：%(reasons)s")
        % {
            "name": str(request.application),
            "reasons": request.reasons or request.get_answer_display(),
        },
        link=reverse("applications:application-detail", args=[request.application_id]),
    )
    return request


def recommend_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """Why the county cannot recommend this application now (run under the row lock).

    The quota row is locked too, so two recommendations in the same county cannot both take the
    last place: "优中选优、宁缺毋滥" makes the quota a ceiling, never a target.
    """
    refusals = []
    if closed := recommendation_refusal(batch=application.batch):
        refusals.append(closed)
    policy = application.batch.policy
    review = CountyReview.objects.filter(application=application).first()
    items = checklist_for(application.unit_type)
    unchecked = [item.text for item in items if not (review and review.checklist.get(item.code))]
    if unchecked:
        refusals.append(
            _("初审核对清单尚有 %(count)d 项未确认：%(items)s")
            % {"count": len(unchecked), "items": "；".join(unchecked)}
        )
    opinions = {
        request.department.department: request
        for request in application.opinion_requests.select_related("department")
    }
    citation = REQUIRED_DEPARTMENTS_CITATION.get(policy, "")
    for department in REQUIRED_DEPARTMENTS.get(policy, ()):
        label = Organisation.Department(department).label
        request = opinions.get(department)
        if request is None:
            refusals.append(
                _("尚未征求%(department)s意见（%(citation)s）。")
                % {"department": label, "citation": citation}
            )
        elif request.status == OpinionRequest.Status.PENDING:
            refusals.append(
                _("%(department)s尚未回复意见。") % {"department": request.department.name}
            )
    objections = [r for r in opinions.values() if r.answer == OpinionRequest.Answer.OBJECTION]
    if objections and not comment.strip():
        refusals.append(
            _("%(departments)s提出异议，推荐须在说明中写明理由。")
            % {"departments": "、".join(r.department.name for r in objections)}
        )
    quota = quota_row(application=application, lock=True)
    if quota is None:
        refusals.append(_("该批次未给本县（区）分配推荐名额。"))
    else:
        used = recommended_count(quota=quota)
        if used >= quota.quota:
            refusals.append(
                _("%(place)s在该批次的推荐名额为 %(quota)d 个，已推荐 %(used)d 个，名额已满。")
                % {"place": quota.county.name, "quota": quota.quota, "used": used}
            )
    return refusals


def notify_city_of_recommendation(*, application: Application, actor, comment: str) -> None:
    for official in officials_of(jurisdiction=application.batch.jurisdiction):
        notify(
            recipient=official,
            subject=_("县（区）推荐：%(name)s") % {"name": str(application)},
            body=_("%(county)s推荐「%(name)s」参加「%(batch)s」评审。")
            % {
                "county": application.jurisdiction.name,
                "name": str(application),
                "batch": application.batch.title,
            },
            link=reverse("applications:application-detail", args=[application.pk]),
        )


AUTHORITY_ACTIONS = (
    "start_expert_review",
    "request_onsite",
    "decide_pass",
    "decide_fail",
    "reopen_decision",
    "start_publicity",
    "uphold_objection",
    "publish_list",
)


def authority_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """Expert review and the decision belong to the bureau that opened the batch."""
    if actor.is_sysadmin:
        return []
    if actor.organisation_id != application.batch.authority_id:
        return [
            _("该环节由批次组织单位「%(authority)s」办理。")
            % {"authority": application.batch.authority.name}
        ]
    return []
