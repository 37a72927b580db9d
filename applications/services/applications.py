"""Commands on applications: create, save the draft, pre-check, submit and the county's steps."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.agency_checks import agency_changed, agency_refusals
from applications.facts import applicant_specs, clean_facts, reference_specs
from applications.models import APPLICANT_KIND_BY_UNIT_TYPE, Application, Batch, Document, UnitType
from applications.precheck import Precheck, run_precheck
from applications.services.exceptions import principle_findings_without
from applications.services.pool import candidate_mark_applied
from applications.workflow import application_workflow, runner_effects, runner_guards
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.directory.models import Organisation
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from greenmfg.rules.evaluation import Evaluation
from greenmfg.rules.reports import evaluation_for, intake_for


def _require_applicant(actor, application: Application) -> None:
    if actor.role != Role.APPLICANT or actor.organisation_id != application.organisation_id:
        raise NotPermitted(_("只有申报单位本单位的账号可以修改申报。"))


def _require_overseer(actor, application: Application) -> None:
    if not (actor.is_official or actor.is_sysadmin) or not can_oversee(
        actor, application.jurisdiction
    ):
        raise NotPermitted(_("该申报不在您的管辖范围内。"))


def _require_editable(application: Application) -> None:
    if application.status == Application.Status.RETURNED and not application.is_editable:
        raise DomainError(
            _("批次「%(batch)s」已停止修改退回的申报。") % {"batch": application.batch.title},
            code="revisions_closed",
        )
    if not application.is_editable:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不能修改。")
            % {"state": application.get_status_display()},
            code="not_editable",
        )


def _field_errors(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError({key: messages for key, messages in errors.items()})


def intake_refusals(*, batch: Batch, organisation: Organisation, unit_type: str) -> list[str]:
    """Why ``organisation`` may not apply to ``batch`` for ``unit_type``; empty when it may.

    The batch's policy says at which levels units apply themselves (above them candidates are
    recommended from the list below), the batch which unit types it takes, and the unit type
    which kind of organisation applies for it.
    """
    refusals = []
    intake = intake_for(batch.policy)
    if not intake.accepts(batch.jurisdiction.level):
        refusals.append(
            _("批次「%(batch)s」为%(level)s批次，不受理企业、园区直接申报：%(rule)s。")
            % {
                "batch": batch.title,
                "level": batch.jurisdiction.get_level_display(),
                "rule": intake.wording,
            }
        )
    if unit_type not in batch.unit_types:
        refusals.append(
            _("批次「%(batch)s」不受理%(type)s。")
            % {"batch": batch.title, "type": UnitType(unit_type).label}
        )
    if APPLICANT_KIND_BY_UNIT_TYPE[unit_type] != organisation.kind:
        refusals.append(
            _("%(kind)s不能申报%(type)s。")
            % {"kind": organisation.get_kind_display(), "type": UnitType(unit_type).label}
        )
    return refusals


@transaction.atomic
def _refuse_duplicate(application: Application) -> None:
    """One application per organisation, batch, unit type (and product): the API answers 409
    with the one there is."""
    existing = (
        Application.objects.filter(
            batch=application.batch,
            organisation=application.organisation,
            unit_type=application.unit_type,
            product_name=application.product_name,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("本单位在该批次已有同类型的申报，请在原申报中继续填写。"), existing_id=existing
        )


def application_create(
    *, actor, batch: Batch, unit_type: str, product_name: str = ""
) -> Application:
    """An enterprise or park starts an application in an open batch that covers it."""
    organisation = actor.organisation
    if actor.role != Role.APPLICANT or organisation is None:
        raise NotPermitted(_("只有企业或园区的申报账号可以发起申报。"))
    if organisation.status != Organisation.Status.ACTIVE:
        raise DomainError(_("本单位注册尚未通过审核，暂不能申报。"), code="organisation_inactive")
    if not batch.jurisdiction.contains(organisation.jurisdiction):
        raise DomainError(
            _("批次「%(batch)s」不受理本地区的申报。") % {"batch": batch.title}, field="batch"
        )
    if not batch.accepts_submissions():
        raise DomainError(
            _("批次「%(batch)s」当前不在申报期内。") % {"batch": batch.title}, field="batch"
        )
    if refusals := intake_refusals(batch=batch, organisation=organisation, unit_type=unit_type):
        field = "batch" if not intake_for(batch.policy).accepts(batch.jurisdiction.level) else None
        raise DomainError(
            "；".join(refusals), field=field or "unit_type", code="intake", reasons=refusals
        )
    product_name = product_name.strip()
    if unit_type == UnitType.DESIGN_PRODUCT and not product_name:
        raise ValidationError({"product_name": _("申报绿色设计产品须填写产品名称。")})
    if unit_type != UnitType.DESIGN_PRODUCT:
        product_name = ""
    application = Application(
        batch=batch,
        organisation=organisation,
        jurisdiction=organisation.jurisdiction,
        unit_type=unit_type,
        product_name=product_name,
        created_by=actor,
        # The policy's first mode: 自评价 where it may be chosen, 第三方评价 where the policy
        # asks both reports (大连 一（一）).
        evaluation_mode=evaluation_for(batch.policy, unit_type).default_mode,
    )
    _refuse_duplicate(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Created meanwhile by another request.
        _refuse_duplicate(application)
        raise
    audit_record(
        subject=application,
        actor=actor,
        action="create",
        action_label=_("创建申报"),
        to_state=application.status,
        state_labels=application_workflow.states,
    )
    return application


@transaction.atomic
def application_save_draft(
    *,
    application: Application,
    actor,
    facts: dict | None = None,
    industry: str | None = None,
    product_name: str | None = None,
    evaluation_mode: str | None = None,
    agency: Organisation | None = None,
    clear_agency: bool = False,
    self_evaluation_helper: Organisation | None = None,
    clear_self_evaluation_helper: bool = False,
    strict: bool = False,
) -> tuple[Application, dict[str, list[str]]]:
    """Save what is usable of the draft and return the messages for what is not.

    Nothing the user entered is thrown away for another field's mistake: the valid values are
    kept and the invalid ones come back with their message for the form to show again. With
    ``strict`` (the API, whose client keeps its own input) any bad value refuses the whole save.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch")
        .get(pk=application.pk)
    )
    _require_applicant(actor, application)
    _require_editable(application)
    before = (
        application.evaluation_mode,
        application.agency_id,
        application.self_evaluation_helper_id,
    )
    values, errors = clean_facts(
        applicant_specs(application.batch.policy, application.unit_type), facts or {}
    )
    merged = {**application.facts, **values}
    application.facts = {key: value for key, value in merged.items() if value is not None}
    if industry is not None:
        application.industry = industry.strip()[:100]
    if product_name is not None and application.unit_type == UnitType.DESIGN_PRODUCT:
        if product_name.strip():
            application.product_name = product_name.strip()[:200]
        else:
            errors["product_name"] = [_("申报绿色设计产品须填写产品名称。")]
    if evaluation_mode is not None:
        if evaluation_mode not in Application.EvaluationMode.values:
            errors["evaluation_mode"] = [_("请选择评价方式。")]
        elif not (evaluation := application_evaluation(application)).allows(evaluation_mode):
            errors["evaluation_mode"] = [
                _("%(type)s应%(wording)s。")
                % {"type": application.get_unit_type_display(), "wording": evaluation.wording}
            ]
        else:
            application.evaluation_mode = evaluation_mode
    if agency is not None:
        if agency.kind != Organisation.Kind.AGENCY:
            errors["agency"] = [_("「%(name)s」不是第三方评价机构。") % {"name": agency.name}]
        else:
            application.agency = agency
    elif clear_agency:
        application.agency = None
    if application.evaluation_mode == Application.EvaluationMode.SELF:
        application.agency = None
    if self_evaluation_helper is not None:
        if self_evaluation_helper.kind != Organisation.Kind.AGENCY:
            errors["self_evaluation_helper"] = [
                _("「%(name)s」不是第三方评价机构。") % {"name": self_evaluation_helper.name}
            ]
        else:
            application.self_evaluation_helper = self_evaluation_helper
    elif clear_self_evaluation_helper:
        application.self_evaluation_helper = None
    named = (
        application.evaluation_mode,
        application.agency_id,
        application.self_evaluation_helper_id,
    )
    if named != before:
        # The engagement (the cap, the blacklist, independence) is judged under this lock; a
        # refused agency leaves the draft with the one it had.
        refusals = agency_changed(application=application, actor=actor)
        if refusals:
            errors["agency"] = refusals
            application.evaluation_mode, application.agency_id = before[0], before[1]
            application.self_evaluation_helper_id = before[2]
    if errors and strict:
        raise _field_errors(errors)
    # The stored pre-check describes older data now.
    application.precheck_eligible = None
    application.save()
    return application, errors


@transaction.atomic
def application_set_reference_facts(*, application: Application, actor, facts: dict) -> Application:
    """The county enters the industry reference values the policy compares against."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch")
        .get(pk=application.pk)
    )
    _require_overseer(actor, application)
    values, errors = clean_facts(
        reference_specs(application.batch.policy, application.unit_type), facts
    )
    if errors:
        raise _field_errors(errors)
    before = dict(application.reference_facts)
    merged = {**application.reference_facts, **values}
    application.reference_facts = {key: value for key, value in merged.items() if value is not None}
    application.precheck_eligible = None
    application.save(update_fields=["reference_facts", "precheck_eligible", "updated_at"])
    audit_record(
        subject=application,
        actor=actor,
        action="reference_facts",
        action_label=_("录入行业参考值"),
        data={"before": before, "after": application.reference_facts},
    )
    return application


@transaction.atomic
def application_precheck(*, application: Application, actor) -> Precheck:
    """Run the batch's policy over the current draft and keep the result on the application."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch", "organisation")
        .get(pk=application.pk)
    )
    if actor.role == Role.APPLICANT:
        _require_applicant(actor, application)
    else:
        _require_overseer(actor, application)
    result = run_precheck(application=application)
    application.precheck = result.as_json()
    application.precheck_eligible = result.eligible
    application.prechecked_at = clock.now()
    application.save(update_fields=["precheck", "precheck_eligible", "prechecked_at", "updated_at"])
    return result


def application_evaluation(application: Application) -> Evaluation:
    """How the batch's policy has this unit type evaluated (modes, reports, article)."""
    return evaluation_for(application.batch.policy, application.unit_type)


def required_document_kinds(application: Application) -> list[str]:
    """The reports the policy asks for the chosen evaluation mode (大连: both)."""
    return list(application_evaluation(application).reports(application.evaluation_mode))


def submission_refusals(*, application: Application, precheck: Precheck) -> list[str]:
    """Every reason the application cannot be submitted now; empty when it can."""
    refusals = []
    batch = application.batch
    if not batch.accepts_submissions():
        refusals.append(
            _("批次「%(batch)s」当前不在申报期内（截止时间 %(deadline)s）。")
            % {
                "batch": batch.title,
                "deadline": timezone.localtime(batch.submission_deadline).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            }
        )
    if application.source_application_id is None:
        # Judged again at submission: a unit applies only where the policy and level allow.
        refusals.extend(
            intake_refusals(
                batch=batch, organisation=application.organisation, unit_type=application.unit_type
            )
        )
    evaluation = application_evaluation(application)
    if not evaluation.allows(application.evaluation_mode):
        refusals.append(
            _("%(type)s应%(wording)s。")
            % {"type": application.get_unit_type_display(), "wording": evaluation.wording}
        )
    present = {
        document.kind for document in application.documents.all() if document.current_id is not None
    }
    for kind in required_document_kinds(application):
        if kind not in present:
            refusals.append(
                _("缺少必需的材料：%(kind)s（PDF）。") % {"kind": Document.Kind(kind).label}
            )
    failed = [f for f in precheck.findings if not f["passed"]]
    blocking = [f for f in failed if not f.get("in_principle")]
    if blocking:
        refusals.append(
            _("资格自查未通过（%(count)d 项不符合）：%(first)s")
            % {
                "count": len(blocking),
                "first": "；".join(f"{f['citation']} {f['message']}" for f in blocking[:3]),
            }
        )
    # 原则上: the applicant may submit with a written reason for each such finding.
    explained = {exception.code for exception in application.principle_exceptions.all()}
    for finding in principle_findings_without(findings=failed, codes=explained):
        refusals.append(
            _(
                "「%(citation)s %(message)s」为原则上条件："
                "如仍申报，请在资格自查结果中逐项说明理由。"
            )
            % {"citation": finding["citation"], "message": finding["message"]}
        )
    refusals.extend(agency_refusals(application=application))
    return refusals


def application_transition(
    *, application: Application, action: str, actor, comment: str = "", service: str = ""
) -> Application:
    """Move an application along its workflow: lock, check, save, audit, notify.

    Before a submission the pre-check runs and is kept in its own transaction, so that a refused
    submission still leaves the applicant the findings that explain the refusal.
    """
    if (
        action == "submit"
        and actor.role == Role.APPLICANT
        and application.status
        in (
            Application.Status.DRAFT,
            Application.Status.RETURNED,
        )
    ):
        application_precheck(application=application, actor=actor)
    return _apply_transition(
        application=application, action=action, actor=actor, comment=comment, service=service
    )


@transaction.atomic
def _apply_transition(
    *, application: Application, action: str, actor, comment: str, service: str = ""
) -> Application:
    def check(row: Application) -> None:
        if actor.role == Role.APPLICANT:
            _require_applicant(actor, row)
        else:
            _require_overseer(actor, row)

    def submission_guard(row: Application, **_context) -> list[str]:
        if row.status == Application.Status.RETURNED:
            _require_editable(row)
        # Judged again under the row lock: the data cannot change between check and submission.
        refusals = submission_refusals(application=row, precheck=run_precheck(application=row))
        if refusals:
            raise DomainError(
                _("暂不能提交：") + "；".join(refusals), code="submission_refused", reasons=refusals
            )
        return []

    def stamp_submission(row: Application, transition) -> None:
        row.submitted_at = clock.now()

    submit = action == "submit"
    return run_transition(
        workflow=application_workflow,
        instance=application,
        action=action,
        actor=actor,
        comment=comment,
        service=service,
        queryset=Application.objects.select_related(
            "batch", "organisation", "jurisdiction", "agency"
        ),
        check=check,
        # Then the guards and effects registered for the action (applications/apps.py,
        # reviews/apps.py), in registration order.
        guards=[submission_guard, *runner_guards(action)] if submit else runner_guards(action),
        before_save=stamp_submission if submit else None,
        update_fields=["submitted_at", "updated_at"] if submit else ["updated_at"],
        effects=runner_effects(action),
        on_commit=False,
    )


# --- effects of a transition (registered in applications/apps.py) ----------------------------


def mark_candidate_applied(*, application: Application, actor, comment: str) -> None:
    """On submission: the unit's 培育库 candidacy for the unit type becomes 已提交申报."""
    candidate_mark_applied(organisation=application.organisation, unit_type=application.unit_type)


def notify_county_of_submission(*, application: Application, actor, comment: str) -> None:
    """On submission: the officials of the application's county are asked to review it."""
    link = reverse("applications:application-detail", args=[application.pk])
    for official in officials_of(jurisdiction=application.jurisdiction):
        notify(
            recipient=official,
            subject=_("收到新的申报：%(name)s") % {"name": str(application)},
            body=_("%(name)s 已在「%(batch)s」提交申报，请初审。")
            % {"name": str(application), "batch": application.batch.title},
            link=link,
        )


def notify_applicant_of_return(*, application: Application, actor, comment: str) -> None:
    """On return: the applicant's active users are told why; what they entered is kept."""
    link = reverse("applications:application-detail", args=[application.pk])
    for member in application.organisation.users.filter(is_active=True):
        notify(
            recipient=member,
            subject=_("申报被退回修改：%(name)s") % {"name": str(application)},
            body=_("退回理由：%(comment)s。已填写的内容均已保留，修改后可重新提交。")
            % {"comment": comment},
            link=link,
        )


@transaction.atomic
def application_record_paper_copy(*, application: Application, actor) -> Application:
    """The county records receipt of the paper copies (纸质材料)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_overseer(actor, application)
    if actor.role not in (Role.COUNTY_OFFICIAL, Role.SYSADMIN) and not actor.is_superuser:
        raise NotPermitted(_("纸质材料由所在县（区）工信部门接收登记。"))
    if application.status == Application.Status.DRAFT:
        raise DomainError(_("申报尚未提交，不能登记纸质材料。"))
    if application.paper_copy_received_at:
        raise DomainError(
            _("纸质材料已于 %(when)s 登记接收。")
            % {
                "when": timezone.localtime(application.paper_copy_received_at).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    application.paper_copy_received_at = clock.now()
    application.paper_copy_received_by = actor
    application.save(
        update_fields=["paper_copy_received_at", "paper_copy_received_by", "updated_at"]
    )
    audit_record(
        subject=application, actor=actor, action="paper_copy", action_label=_("登记接收纸质材料")
    )
    return application
