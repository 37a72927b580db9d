"""公示 and the published list.

洛阳 第十二条: 择优确定年度公示名单，经公示无异议的纳入名单并予以发布; 济南 第十条: 拟通过的
名单在网站公示，无异议后发文公布.

The authority puts the passed applications of a batch on a proposed list for the batch's
publicity period; anyone may lodge a real-name objection while it runs; an upheld objection takes
the unit off the proposal; when the period has ended and every objection is answered, the
authority publishes the list under its document number and each unit gets its registry entry.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, Batch
from applications.selectors.batches import is_batch_authority
from applications.services.applications import application_transition
from applications.services.pool import candidate_mark_listed
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.tracking import PHONE_PATTERN, new_tracking_code
from greenmfg.core.transitions import run_transition
from greenmfg.core.workdays import PeriodEnd, period_end
from greenmfg.notifications.services import notify
from greenmfg.rules.reports import round_end
from registry.models import Listing
from registry.services.announcement import announce_list, announce_publicity
from registry.services.listing import listing_create_from_application
from reviews.models import Objection, Publicity, PublicityItem
from reviews.selectors.sheet import application_score
from reviews.workflow import PUBLICITY_SYSTEM, objection_workflow, publicity_workflow

# What a real-name objection lacks, in the rule's words; the form says the same, not
# "该字段是必填项".
OBJECTION_ERRORS = {
    "name": gettext_lazy("异议须实名提出，请填写姓名。"),
    "organisation_or_id": gettext_lazy("请填写工作单位或身份证号，匿名异议不予受理。"),
    "phone": gettext_lazy("请填写有效的联系电话（7–20 位数字，可含“-”）。"),
    "content": gettext_lazy("请具体说明异议的事实和理由（至少 10 个字）。"),
}

SERVICE = "publicity"
S = Application.Status
UNDECIDED_STATES = (S.RECOMMENDED, S.EXPERT_REVIEW, S.ONSITE_CHECK)


def _today() -> datetime.date:
    return clock.today()


def objection_period_end(starts_on: datetime.date, days: int) -> PeriodEnd:
    """The last day of a publicity (and objection) period of ``days`` days that runs from
    ``starts_on`` itself; when it falls on a rest day the period ends on the next working day
    (民法典 第二百零三条)."""
    return period_end(starts_on + datetime.timedelta(days=days - 1))


def _require_authority(actor, batch: Batch) -> None:
    if not is_batch_authority(user=actor, batch=batch):
        raise NotPermitted(
            _("公示和名单发布由批次组织单位「%(authority)s」办理。")
            % {"authority": batch.authority.name}
        )


def _members(organisation):
    return organisation.users.filter(is_active=True)


def _tell_applicant(application: Application, *, subject: str, body: str) -> None:
    link = reverse("applications:application-detail", args=[application.pk])
    for member in _members(application.organisation):
        notify(recipient=member, subject=subject, body=body, link=link)


@transaction.atomic
def publicity_start(
    *,
    batch: Batch,
    actor,
    title: str,
    contact: str,
    notice: str = "",
    applications: list[Application] | None = None,
) -> Publicity:
    """Put the chosen passed applications (all of them by default) on the proposed list."""
    batch = (
        Batch.objects.select_for_update()
        .select_related("authority", "jurisdiction")
        .get(pk=batch.pk)
    )
    _require_authority(actor, batch)
    end = round_end(batch.policy, batch.level)
    if not end.lists:
        raise DomainError(
            _("「%(batch)s」%(rule)s：评审决定后请在批次页“推荐至上级”，不公示本级名单。")
            % {"batch": batch.title, "rule": end.wording},
            code="round_recommends",
        )
    if Publicity.objects.filter(batch=batch).exists():
        raise DomainError(_("该批次已发布公示，不能重复公示。"), code="publicity_exists")
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写公示标题。")
    if not contact.strip():
        errors["contact"] = _("请填写受理异议的联系方式（电话、地址或邮箱）。")
    if errors:
        raise ValidationError(errors)
    undecided = batch.applications.filter(status__in=UNDECIDED_STATES).count()
    if undecided:
        raise DomainError(
            _("尚有 %(count)d 项已推荐的申报未作出评审决定，全部决定后方可公示。")
            % {"count": undecided},
            code="undecided_applications",
        )
    passed = list(
        batch.applications.filter(status=S.PASSED).select_related(
            "batch", "organisation", "jurisdiction"
        )
    )
    if applications is not None:
        chosen = {application.pk for application in applications}
        strangers = chosen - {application.pk for application in passed}
        if strangers:
            raise DomainError(
                _("只能公示本批次评审通过的申报（%(count)d 项不符合）。")
                % {"count": len(strangers)},
                code="not_passed",
            )
        passed = [application for application in passed if application.pk in chosen]
    if not passed:
        raise DomainError(_("没有可公示的评审通过的申报。"), code="nothing_to_publicise")
    scored = []
    for application in passed:
        aggregate = application_score(application=application)
        scored.append((aggregate.score if aggregate else None, application))
    # Highest score first; ties and unscored keep a stable order by name.
    scored.sort(key=lambda pair: (-(pair[0] or 0), pair[1].organisation.name, pair[1].pk))
    starts_on = _today()
    period = objection_period_end(starts_on, batch.publicity_days)
    publicity = Publicity.objects.create(
        batch=batch,
        title=title.strip(),
        notice=notice.strip(),
        contact=contact.strip(),
        starts_on=starts_on,
        ends_on=period.date,
        created_by=actor,
    )
    PublicityItem.objects.bulk_create(
        PublicityItem(publicity=publicity, application=application, position=index, score=score)
        for index, (score, application) in enumerate(scored, start=1)
    )
    for _score, application in scored:
        application_transition(
            application=application, action="start_publicity", actor=actor, service=SERVICE
        )
        _tell_applicant(
            application,
            subject=_("拟列入名单公示：%(name)s") % {"name": str(application)},
            body=_("您的申报已列入「%(title)s」，公示期 %(start)s 至 %(end)s。")
            % {"title": publicity.title, "start": starts_on, "end": publicity.ends_on}
            + (f"（{period.note}）" if period.extended else ""),
        )
    audit_record(
        subject=publicity,
        actor=actor,
        action="start",
        action_label=_("发布公示"),
        to_state=publicity.status,
        data={
            "items": len(scored),
            "ends_on": publicity.ends_on.isoformat(),
            "period_note": period.note,
            "calendar_warning": "".join(period.warnings),
        },
        state_labels=dict(Publicity.Status.choices),
    )
    announce_publicity(publicity, count=len(scored), actor=actor)
    return publicity


@transaction.atomic
def objection_lodge(
    *,
    item: PublicityItem,
    name: str,
    organisation_or_id: str,
    phone: str,
    content: str,
    email: str = "",
) -> Objection:
    """Anyone lodges a real-name objection against one unit while the publicity runs."""
    item = PublicityItem.objects.select_related(
        "publicity__batch__authority", "application__organisation"
    ).get(pk=item.pk)
    publicity = item.publicity
    today = _today()
    if publicity.status != Publicity.Status.OPEN or not (
        publicity.starts_on <= today <= publicity.ends_on
    ):
        raise DomainError(
            _("公示期为 %(start)s 至 %(end)s，当前不在公示期内，不能提出异议。")
            % {"start": publicity.starts_on, "end": publicity.ends_on},
            code="publicity_closed",
        )
    if item.outcome != PublicityItem.Outcome.PROPOSED:
        raise DomainError(_("该单位已不在公示名单中。"), code="item_removed")
    errors = {}
    if not name.strip():
        errors["name"] = OBJECTION_ERRORS["name"]
    if not organisation_or_id.strip():
        errors["organisation_or_id"] = OBJECTION_ERRORS["organisation_or_id"]
    if not PHONE_PATTERN.match(phone.strip()):
        errors["phone"] = OBJECTION_ERRORS["phone"]
    if len(content.strip()) < 10:
        errors["content"] = OBJECTION_ERRORS["content"]
    if errors:
        raise ValidationError(errors)
    objection = Objection.objects.create(
        item=item,
        tracking_code=new_tracking_code(),
        name=name.strip(),
        organisation_or_id=organisation_or_id.strip(),
        phone=phone.strip(),
        email=email.strip(),
        content=content.strip(),
    )
    audit_record(
        subject=objection,
        actor=None,
        action="lodge",
        action_label=_("提出异议"),
        to_state=objection.status,
        state_labels=dict(Objection.Status.choices),
    )
    link = reverse("reviews:publicity-manage", args=[publicity.pk])
    for official in _members(publicity.batch.authority):
        notify(
            recipient=official,
            subject=_("收到公示异议：%(name)s") % {"name": str(item.application)},
            body=_("「%(title)s」收到一条异议，请核实处理。") % {"title": publicity.title},
            link=link,
        )
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, actor, upheld: bool, response: str) -> Objection:
    """The authority answers an objection; an upheld one takes the unit off the proposed list."""

    def answerable(row: Objection) -> None:
        publicity = row.item.publicity
        _require_authority(actor, publicity.batch)
        if row.status != Objection.Status.PENDING:
            raise DomainError(
                _("该异议已处理（%(status)s）。") % {"status": row.get_status_display()},
                code="already_decided",
            )
        if publicity.status == Publicity.Status.PUBLISHED:
            raise DomainError(_("名单已发布，不能再处理公示异议。"), code="publicity_published")
        if not response.strip():
            raise ValidationError({"response": _("请填写处理意见，将告知异议人。")})

    def answer(row: Objection, transition) -> None:
        row.response = response.strip()
        row.handled_by = actor
        row.handled_at = clock.now()

    objection = run_transition(
        workflow=objection_workflow,
        instance=objection,
        action="uphold" if upheld else "dismiss",
        actor=actor,
        comment=response.strip(),
        queryset=Objection.objects.select_related(
            "item__publicity__batch__authority", "item__application"
        ),
        check=answerable,
        before_save=answer,
        update_fields=["response", "handled_by", "handled_at"],
        audit_action="decide",
        action_label=_("处理异议"),
    )
    item = PublicityItem.objects.select_for_update().get(pk=objection.item_id)
    if upheld and item.outcome == PublicityItem.Outcome.PROPOSED:
        item.outcome = PublicityItem.Outcome.REMOVED
        item.save(update_fields=["outcome"])
        application = application_transition(
            application=item.application,
            action="uphold_objection",
            actor=actor,
            comment=objection.response,
            service=SERVICE,
        )
        _tell_applicant(
            application,
            subject=_("公示异议成立：%(name)s") % {"name": str(application)},
            body=_("经核实，针对您的公示异议成立，已从拟列入名单中移出。处理意见：%(response)s")
            % {"response": objection.response},
        )
    return objection


def publish_refusals(*, publicity: Publicity, today: datetime.date | None = None) -> list[str]:
    """Why the list cannot be published yet (empty when it can)."""
    today = today or _today()
    refusals = []
    if publicity.status == Publicity.Status.PUBLISHED:
        refusals.append(_("名单已于 %(date)s 发布。") % {"date": publicity.published_on})
        return refusals
    if today <= publicity.ends_on:
        refusals.append(
            _("公示期至 %(end)s 结束，公示期满后方可发布名单。") % {"end": publicity.ends_on}
        )
    pending = Objection.objects.filter(
        item__publicity=publicity, status=Objection.Status.PENDING
    ).count()
    if pending:
        refusals.append(_("尚有 %(count)d 条异议未处理。") % {"count": pending})
    return refusals


@transaction.atomic
def publicity_publish(
    *, publicity: Publicity, actor, document_number: str, published_on: datetime.date | None = None
) -> list[Listing]:
    """Publish the list: each unit still proposed is listed under the document number."""
    listings: list[Listing] = []

    def ready(row: Publicity) -> None:
        nonlocal document_number, published_on
        _require_authority(actor, row.batch)
        document_number = document_number.strip()
        if not document_number:
            raise ValidationError(
                {"document_number": _("请填写名单发文文号，如 洛工信〔2026〕12号。")}
            )
        refusals = publish_refusals(publicity=row)
        if refusals:
            raise DomainError(
                _("暂不能发布名单：") + "".join(refusals), code="publish_refused", reasons=refusals
            )
        published_on = published_on or _today()
        if published_on < row.ends_on:
            raise ValidationError({"published_on": _("发布日期不能早于公示截止日期。")})

    def list_units(row: Publicity, transition) -> None:
        items = list(
            row.items.select_for_update(of=("self",))
            .filter(outcome=PublicityItem.Outcome.PROPOSED)
            .select_related("application__batch__authority", "application__batch__jurisdiction")
            .select_related("application__organisation", "application__jurisdiction")
        )
        for item in items:
            application = application_transition(
                application=item.application, action="publish_list", actor=actor, service=SERVICE
            )
            item.outcome = PublicityItem.Outcome.LISTED
            item.save(update_fields=["outcome"])
            listings.append(
                listing_create_from_application(
                    application=application,
                    document_number=document_number,
                    listed_on=published_on,
                    actor=actor,
                )
            )
            candidate_mark_listed(
                organisation=application.organisation, unit_type=application.unit_type
            )
            _tell_applicant(
                application,
                subject=_("已列入名单：%(name)s") % {"name": str(application)},
                body=_("%(list)s已发布（%(number)s），您的单位已列入。")
                % {"list": row.batch.list_name, "number": document_number},
            )
        row.document_number = document_number
        row.published_on = published_on

    publicity = run_transition(
        workflow=publicity_workflow,
        instance=publicity,
        action="publish",
        actor=actor,
        queryset=Publicity.objects.select_related("batch__authority", "batch__jurisdiction"),
        check=ready,
        before_save=list_units,
        update_fields=["document_number", "published_on"],
        audit_data=lambda row: {"document_number": document_number, "listed": len(listings)},
    )
    announce_list(publicity, count=len(listings), actor=actor)
    return listings


def publicities_end(today: datetime.date | None = None) -> int:
    """The nightly sweep: every publicity whose last day is before ``today`` is ended (公示期满),
    by the portal, with its trail, and the authority's staff are told the list may be published
    once every objection is answered. Idempotent: an ended publicity is not found again."""
    today = today or _today()
    ended = 0
    due = Publicity.objects.filter(status=Publicity.Status.OPEN, ends_on__lt=today)
    for pk in due.values_list("pk", flat=True).order_by("ends_on", "pk"):
        with transaction.atomic():
            row = (
                Publicity.objects.select_related("batch__authority")
                .filter(pk=pk, status=Publicity.Status.OPEN)
                .first()
            )
            if row is None:  # ended meanwhile by another run
                continue
            pending = Objection.objects.filter(
                item__publicity=row, status=Objection.Status.PENDING
            ).count()
            publicity = run_transition(
                workflow=publicity_workflow,
                instance=row,
                action="end",
                actor=None,
                role=PUBLICITY_SYSTEM,
                audit_data={"ended_on": today.isoformat(), "pending": pending},
            )
            if pending:
                body = _(
                    "「%(title)s」已于 %(end)s 公示期满，尚有 %(pending)d 条异议待处理，"
                    "处理完毕后方可发布名单。"
                )
            else:
                body = _("「%(title)s」已于 %(end)s 公示期满，异议均已处理，可以发布名单。")
            body %= {"title": publicity.title, "end": publicity.ends_on, "pending": pending}
            link = reverse("reviews:publicity-manage", args=[publicity.pk])
            for member in _members(publicity.batch.authority):
                notify(
                    recipient=member,
                    subject=_("公示期满：%(title)s") % {"title": publicity.title},
                    body=body,
                    link=link,
                )
            ended += 1
    return ended
