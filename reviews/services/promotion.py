"""推荐至上级: a bureau recommends units of its list to the batch of the level above.

A province batch receives recommendations from the cities, a national batch from the provinces;
the higher authority then runs the same review (experts, decision, publicity, list). Whether a unit
may be recommended is the recommending authority's own rule, read from the policy its list was
made under (``greenmfg.rules.promotion_verdict``: 洛阳 第二十二条, 济南 第十二条); a condition the
document states 原则上 may be overridden by the recommending official with a recorded reason.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.agency_checks import agency_changed
from applications.models import Application, Batch, BatchQuota, Document, DocumentVersion
from applications.selectors.batches import is_batch_authority
from applications.services.applications import application_transition
from greenmfg.accounts.scoping import can_oversee, scope_root
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import LEVEL_DEPTH, Level
from greenmfg.notifications.services import notify
from greenmfg.rules import promotion_verdict
from greenmfg.rules.reports import round_end
from registry.models import Listing
from registry.selectors.listing import listed_levels
from reviews.selectors.review import RECOMMENDED_STATES

# Applications a round still has to decide before it can end.
UNDECIDED_STATES = (
    Application.Status.RECOMMENDED,
    Application.Status.EXPERT_REVIEW,
    Application.Status.ONSITE_CHECK,
)

SERVICE = "promotion"

# The level directly below each level that receives recommendations.
RECOMMENDING_LEVEL = {Level.PROVINCE: Level.CITY, Level.NATIONAL: Level.PROVINCE}


def _recommender_root(actor, batch: Batch):
    """The actor's jurisdiction, when it may recommend into ``batch``; refuses otherwise."""
    expected = RECOMMENDING_LEVEL.get(batch.level)
    if expected is None:
        raise DomainError(
            _("「%(batch)s」是%(level)s批次，不接收下级推荐。")
            % {"batch": batch.title, "level": batch.jurisdiction.get_level_display()},
            code="not_a_receiving_batch",
        )
    root = scope_root(actor) if actor.is_official else None
    if root is None or root.level != expected or not root.path.startswith(batch.jurisdiction.path):
        raise NotPermitted(
            _("向「%(batch)s」推荐由%(level)s工业和信息化主管部门办理。")
            % {"batch": batch.title, "level": Level(expected).label}
        )
    return root


def promotion_findings(*, batch: Batch, listing: Listing):
    """The recommending policy's findings for this unit and the batch's level."""
    source = listing.application
    policy = source.batch.policy if source else batch.policy
    levels = listed_levels(application=source) if source else {listing.level}
    return promotion_verdict(policy, listing.unit_type, batch.level, levels).findings


def _copy_documents(*, source: Application, target: Application, actor) -> int:
    """The target shares the source's current files (the same stored file and checksum)."""
    copied = 0
    documents = source.documents.select_related("current").filter(current__isnull=False)
    for document in documents:
        version = document.current
        new_document = Document.objects.create(
            application=target, kind=document.kind, title=document.title
        )
        new_version = DocumentVersion.objects.create(
            document=new_document,
            number=1,
            file=version.file.name,
            original_name=version.original_name,
            extension=version.extension,
            content_type=version.content_type,
            size=version.size,
            sha256=version.sha256,
            pages=version.pages,
            uploaded_by=version.uploaded_by,
        )
        new_document.current = new_version
        new_document.save(update_fields=["current"])
        copied += 1
    return copied


@transaction.atomic
def promote(*, batch: Batch, listing: Listing, actor, override_reason: str = "") -> Application:
    """Recommend a listed unit into the higher ``batch``; returns the new application there."""
    batch = Batch.objects.select_related("authority", "jurisdiction").get(pk=batch.pk)
    root = _recommender_root(actor, batch)
    listing = Listing.objects.select_related(
        "application__batch", "organisation", "jurisdiction"
    ).get(pk=listing.pk)
    if not can_oversee(actor, listing.jurisdiction):
        raise NotPermitted(_("该单位不在您的管辖范围内。"))
    if listing.status != Listing.Status.ACTIVE:
        raise DomainError(
            _("该单位的名单状态为「%(status)s」，不能推荐。")
            % {"status": listing.get_status_display()},
            code="listing_not_active",
        )
    if LEVEL_DEPTH[listing.level] <= LEVEL_DEPTH[batch.level]:
        raise DomainError(_("只能推荐下级名单中的单位。"), code="not_a_lower_listing")
    _require_accepting(batch)
    if listing.unit_type not in batch.unit_types:
        raise DomainError(
            _("「%(batch)s」不受理%(type)s。")
            % {"batch": batch.title, "type": listing.get_unit_type_display()},
            code="unit_type_not_accepted",
        )
    findings = promotion_findings(batch=batch, listing=listing)
    failed = [finding for finding in findings if not finding.passed]
    overridable = all(finding.in_principle for finding in failed)
    if failed and not (overridable and override_reason.strip()):
        reasons = [f"{finding.message}（{finding.article}）" for finding in failed]
        if overridable:
            reasons.append(_("该条件为“原则上”要求，如确需推荐，请填写破格推荐理由。"))
        raise DomainError(
            _("不能推荐：") + "；".join(reasons), code="prerequisite_not_met", reasons=reasons
        )
    _check_quota(batch=batch, root=root)
    withdrawn = Application.objects.filter(
        batch=batch,
        organisation=listing.organisation,
        unit_type=listing.unit_type,
        product_name=listing.product_name,
        status=Application.Status.NOT_RECOMMENDED,
        source_application__isnull=False,
    ).first()
    if withdrawn is not None:
        return application_transition(
            application=withdrawn,
            action="renew_promotion",
            actor=actor,
            comment=override_reason.strip(),
            service=SERVICE,
        )
    return _recommend_into(
        batch=batch,
        source=listing.application,
        organisation=listing.organisation,
        jurisdiction=listing.jurisdiction,
        unit_type=listing.unit_type,
        product_name=listing.product_name,
        actor=actor,
        region=root.name,
        comment=override_reason.strip(),
        data={
            "from_listing": listing.pk,
            "document_number": listing.document_number,
            "overridden": [
                {"code": f.code, "article": f.article, "message": f.message} for f in failed
            ],
        },
    )


def _require_accepting(batch: Batch) -> None:
    """The higher batch is published and still takes recommendations."""
    if batch.status == Batch.Status.DRAFT or not batch.accepts_recommendations():
        deadline = batch.recommendation_deadline
        raise DomainError(
            _("「%(batch)s」已停止接收推荐（截止时间 %(deadline)s）。")
            % {
                "batch": batch.title,
                "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
                if deadline
                else _("未设"),
            },
            code="recommendations_closed",
        )


def _check_quota(*, batch: Batch, root, adding: int = 1) -> None:
    """The recommending region's places in ``batch`` (a ceiling, locked while counted)."""
    quota = (
        BatchQuota.objects.select_for_update()
        .filter(batch=batch, county__key__in=[*root.ancestor_keys, root.key])
        .select_related("county")
        .first()
    )
    if quota is None:
        return
    used = Application.objects.filter(
        batch=batch,
        jurisdiction__path__startswith=quota.county.path,
        status__in=RECOMMENDED_STATES,
    ).count()
    if used >= quota.quota:
        raise DomainError(
            _("%(region)s的推荐名额为 %(quota)d 个，已全部使用（名额是上限，不是任务）。")
            % {"region": quota.county.name, "quota": quota.quota},
            code="quota_reached",
        )
    if used + adding > quota.quota:
        raise DomainError(
            _("%(region)s的推荐名额为 %(quota)d 个，已用 %(used)d 个，不能再推荐 %(adding)d 个。")
            % {"region": quota.county.name, "quota": quota.quota, "used": used, "adding": adding},
            code="quota_reached",
        )


def _recommend_into(
    *,
    batch: Batch,
    source: Application | None,
    organisation,
    jurisdiction,
    unit_type: str,
    product_name: str,
    actor,
    region: str,
    comment: str = "",
    data: dict,
) -> Application:
    """The unit's application in the higher ``batch``: the source's facts, agency and files,
    recorded, audited on both sides and announced to the batch's authority."""
    now = clock.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                batch=batch,
                organisation=organisation,
                jurisdiction=jurisdiction,
                unit_type=unit_type,
                product_name=product_name,
                industry=source.industry if source else "",
                status=Application.Status.RECOMMENDED,
                facts=dict(source.facts) if source else {},
                reference_facts=dict(source.reference_facts) if source else {},
                evaluation_mode=source.evaluation_mode if source else "self",
                agency=source.agency if source else None,
                self_evaluation_helper=source.self_evaluation_helper if source else None,
                source_application=source,
                precheck=source.precheck if source else {},
                precheck_eligible=source.precheck_eligible if source else None,
                prechecked_at=source.prechecked_at if source else None,
                submitted_at=now,
                created_by=actor,
            )
    except IntegrityError as error:
        raise DomainError(
            _("该单位已推荐至「%(batch)s」。") % {"batch": batch.title}, code="already_promoted"
        ) from error
    # The evaluating agency is engaged in this batch too, under this batch's cap and this
    # authority's blacklist (大连 二: 本批次评价项目不得超过15项).
    if refusals := agency_changed(application=application, actor=actor):
        raise DomainError(
            _("不能推荐：") + "；".join(refusals), code="agency_refused", reasons=refusals
        )
    copied = _copy_documents(source=source, target=application, actor=actor) if source else 0
    audit_record(
        subject=application,
        actor=actor,
        action="promote",
        action_label=_("推荐至上级"),
        to_state=application.status,
        comment=comment,
        data={**data, "documents": copied},
        state_labels=dict(Application.Status.choices),
    )
    if source:
        audit_record(
            subject=source,
            actor=actor,
            action="promoted",
            action_label=_("已推荐至「%(batch)s」") % {"batch": batch.title},
            data={"application": application.pk},
        )
    link = reverse("applications:application-detail", args=[application.pk])
    for official in batch.authority.users.filter(is_active=True):
        notify(
            recipient=official,
            subject=_("收到下级推荐：%(name)s") % {"name": str(application)},
            body=_("%(region)s推荐 %(name)s 参加「%(batch)s」。")
            % {"region": region, "name": str(application), "batch": batch.title},
            link=link,
        )
    return application


@transaction.atomic
def round_recommend(
    *, batch: Batch, target: Batch, actor, applications: list[Application] | None = None
) -> list[Application]:
    """A round that ends in a recommendation (大连 一) sends its passed applications (all of them
    by default) to the ``target`` batch of the level its policy names, with no list of its own.

    Each passed application becomes 已推荐至上级 through its workflow; the target batch's
    authority receives each as a recommendation, with the facts, the agency and the files.
    """
    batch = (
        Batch.objects.select_for_update()
        .select_related("authority", "jurisdiction")
        .get(pk=batch.pk)
    )
    if not is_batch_authority(user=actor, batch=batch):
        raise NotPermitted(
            _("向上级推荐由批次组织单位「%(authority)s」办理。")
            % {"authority": batch.authority.name}
        )
    end = round_end(batch.policy, batch.level)
    if end.lists:
        raise DomainError(
            _("「%(batch)s」按其政策发布本级名单，向上级推荐须从已发布的名单中推荐。")
            % {"batch": batch.title},
            code="round_lists",
        )
    target = Batch.objects.select_related("authority", "jurisdiction").get(pk=target.pk)
    if target.level != end.recommends_to or not target.jurisdiction.contains(batch.jurisdiction):
        raise DomainError(
            _("「%(batch)s」应%(rule)s；「%(target)s」不是可推荐的%(level)s批次。")
            % {
                "batch": batch.title,
                "rule": end.wording,
                "target": target.title,
                "level": Level(end.recommends_to).label,
            },
            code="not_a_receiving_batch",
        )
    _require_accepting(target)
    undecided = batch.applications.filter(status__in=UNDECIDED_STATES).count()
    if undecided:
        raise DomainError(
            _("尚有 %(count)d 项申报未作出评审决定，全部决定后方可向上级推荐。")
            % {"count": undecided},
            code="undecided_applications",
        )
    passed = list(
        batch.applications.filter(status=Application.Status.PASSED).select_related(
            "organisation", "jurisdiction"
        )
    )
    if applications is not None:
        chosen = {application.pk for application in applications}
        if chosen - {application.pk for application in passed}:
            raise DomainError(_("只能推荐本批次评审通过的申报。"), code="not_passed")
        passed = [application for application in passed if application.pk in chosen]
    if not passed:
        raise DomainError(_("没有可推荐的评审通过的申报。"), code="nothing_to_recommend")
    refused = [a for a in passed if a.unit_type not in target.unit_types]
    if refused:
        raise DomainError(
            _("「%(batch)s」不受理：%(units)s。")
            % {"batch": target.title, "units": "、".join(str(a) for a in refused)},
            code="unit_type_not_accepted",
        )
    _check_quota(batch=target, root=batch.jurisdiction, adding=len(passed))
    recommended = []
    for application in passed:
        recommended.append(
            _recommend_into(
                batch=target,
                source=application,
                organisation=application.organisation,
                jurisdiction=application.jurisdiction,
                unit_type=application.unit_type,
                product_name=application.product_name,
                actor=actor,
                region=batch.jurisdiction.name,
                data={"from_batch": batch.pk, "article": end.article},
            )
        )
        application_transition(
            application=application, action="recommend_upward", actor=actor, service=SERVICE
        )
    return recommended


@transaction.atomic
def promotion_withdraw(*, application: Application, actor, comment: str) -> Application:
    """The recommending bureau withdraws its recommendation before the expert review starts."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch__jurisdiction", "batch__authority")
        .get(pk=application.pk)
    )
    if application.source_application_id is None:
        raise DomainError(_("该申报不是下级推荐的申报。"), code="not_promoted")
    _recommender_root(actor, application.batch)
    if not can_oversee(actor, application.jurisdiction):
        raise NotPermitted(_("该单位不在您的管辖范围内。"))
    if application.status != Application.Status.RECOMMENDED:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不能撤回推荐。")
            % {"state": application.get_status_display()},
            code="not_recommended",
        )
    return application_transition(
        application=application,
        action="withdraw_promotion",
        actor=actor,
        comment=comment,
        service=SERVICE,
    )


def revoke_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """A recommendation from the level below is withdrawn by that level, not by a county."""
    if application.source_application_id is not None:
        return [_("该申报由下级主管部门推荐至本批次，如需撤回，请由推荐单位撤回推荐。")]
    return []
