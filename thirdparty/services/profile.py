"""Commands of an agency's qualification profile (大连 二) and its review by the bureaus.

The agency's staff fill in the profile (legal representative, the declarations), the roster,
the experience records and the related entities, and submit it; an official of a bureau whose
subtree contains the agency (county, city, province or national) approves it or returns it
with reasons. Approval is refused while the qualification check fails (济南 第十四条: 对不具备
基本条件的第三方机构，不采信其提报的评价报告和评价结果).

Every change locks the profile row first, so an edit and a decision are serialised. A change to
an approved profile sends it back for review (``reopen``): its existing engagements stay, but
``thirdparty.services.agencies.agency_acceptance_refusals`` refuses new ones until it is approved
again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.directory.credit_code import normalise, validate_credit_code
from greenmfg.directory.models import Organisation
from greenmfg.notifications.services import notify
from thirdparty.models import (
    AgencyProfile,
    ExperienceRecord,
    RelatedEntity,
    StaffField,
    StaffMember,
    TitleLevel,
)
from thirdparty.selectors.profile import DECLARATIONS, approving_officials, qualification_of
from thirdparty.workflow import REOPEN_SERVICE, profile_workflow

S = AgencyProfile.Status
FIRST_EXPERIENCE_YEAR = 2000


# --- validation ---------------------------------------------------------------------------------


def validate_resident_id(value: str) -> str:
    """The 18-character mainland resident ID (GB 11643): digits, a real birth date, and the
    check character. Returns the normalised value; raises with a message a clerk can act on."""
    number = ric.compact(value or "")
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为 18 位，您输入了 %(length)d 位。") % {"length": len(number)},
            code="resident_id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("身份证号码格式错误：前 17 位须为数字，最后一位为数字或字母 X。"),
            code="resident_id_format",
        )
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        born = None
    if born is None or not datetime.date(1900, 1, 1) <= born <= clock.today():
        raise ValidationError(
            _("身份证号码第 7—14 位的出生日期「%(date)s」无效，请核对。") % {"date": number[6:14]},
            code="resident_id_birth_date",
        )
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        raise ValidationError(
            _(
                "身份证号码校验位错误：第 18 位应为「%(expected)s」，实际为「%(actual)s」，"
                "请核对后重新输入。"
            )
            % {"expected": expected, "actual": number[-1]},
            code="resident_id_checksum",
        )
    return number


def _text(value, *, field: str, label: str, max_length: int, required: bool, errors: dict) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("请填写%(label)s。") % {"label": label}
    elif len(value) > max_length:
        errors[field] = _("%(label)s不能超过 %(max)d 个字（当前 %(length)d 个）。") % {
            "label": label,
            "max": max_length,
            "length": len(value),
        }
    return value


def _choice(value, *, field: str, label: str, choices, errors: dict) -> str:
    if value not in dict(choices):
        errors[field] = _("请选择%(label)s。") % {"label": label}
    return value


# --- who may act --------------------------------------------------------------------------------


def _require_agency_member(actor, agency: Organisation) -> None:
    if (
        actor.role != Role.AGENCY_STAFF
        or actor.organisation_id != agency.pk
        or agency.kind != Organisation.Kind.AGENCY
    ):
        raise NotPermitted(_("只有本机构的评价机构人员可以填报和修改本机构资质。"))


def _require_approver(actor, agency: Organisation) -> None:
    if not (actor.is_official or actor.is_sysadmin):
        raise NotPermitted(_("评价机构资质由工业和信息化主管部门审核。"))
    if actor.is_official and (
        actor.organisation is None or actor.organisation.kind != Organisation.Kind.BUREAU
    ):
        raise NotPermitted(_("评价机构资质由工业和信息化主管部门审核。"))
    if not can_oversee(actor, agency.jurisdiction):
        raise NotPermitted(
            _("「%(name)s」不在您的管辖范围内，不能审核其资质。") % {"name": agency.name}
        )


def can_decide(*, user, agency: Organisation) -> bool:
    try:
        _require_approver(user, agency)
    except NotPermitted:
        return False
    return True


# --- the profile row ----------------------------------------------------------------------------


def _locked_profile(agency: Organisation) -> AgencyProfile:
    """The agency's profile under a row lock, created as a draft on the agency's first save."""
    profile = AgencyProfile.objects.select_for_update().filter(organisation=agency).first()
    if profile is None:
        try:
            with transaction.atomic():
                AgencyProfile.objects.create(organisation=agency)
        except IntegrityError:
            pass  # created meanwhile by a concurrent first save
        profile = AgencyProfile.objects.select_for_update().get(organisation=agency)
    profile.organisation = agency
    return profile


def _notify_approvers(profile: AgencyProfile, *, subject: str, body: str) -> None:
    agency = profile.organisation
    for official in approving_officials(agency=agency):
        notify(
            recipient=official,
            subject=subject,
            body=body,
            link=reverse("thirdparty:agency-detail", args=[agency.pk]),
        )


def _changed(
    profile: AgencyProfile, actor, *, action_label: str, comment: str, data=None, fields=()
) -> None:
    """Record a change of the profile (its audit entry, its new version) and, when it was
    approved, send it back for review: new engagements wait for the new approval. Either way
    the change writes one audit row: the edit, or the reopening that carries what was edited."""
    if profile.status != S.APPROVED:
        audit_record(
            subject=profile,
            actor=actor,
            action="edit",
            action_label=action_label,
            comment=comment,
            data=data or {},
        )
        profile.save(update_fields=[*fields, "updated_at"])
        return

    def reopen(row: AgencyProfile, transition) -> None:
        # The runner reads the (already locked) row again: the edit comes from ``profile``.
        for name in fields:
            setattr(row, name, getattr(profile, name))
        row.submitted_at = clock.now()

    row = run_transition(
        workflow=profile_workflow,
        instance=profile,
        action="reopen",
        actor=actor,
        comment=comment,
        service=REOPEN_SERVICE,
        before_save=reopen,
        update_fields=[*fields, "submitted_at", "updated_at"],
        audit_data={**(data or {}), "edit": str(action_label)},
    )
    profile.status, profile.submitted_at, profile.updated_at = (
        row.status,
        row.submitted_at,
        row.updated_at,
    )
    agency = profile.organisation
    _notify_approvers(
        profile,
        subject=_("评价机构资质变更待重新审核：%(name)s") % {"name": agency.name},
        body=_("%(name)s 修改了已审核通过的资质信息（%(change)s），请重新审核。")
        % {"name": agency.name, "change": comment},
    )


def _version(profile: AgencyProfile) -> str:
    return profile.updated_at.isoformat() if profile.updated_at else ""


def profile_version(profile: AgencyProfile | None) -> str:
    """What a decision form carries, so that a decision on data changed since is refused."""
    return _version(profile) if profile is not None else ""


@transaction.atomic
def profile_save(
    *,
    agency: Organisation,
    actor,
    legal_representative: str = "",
    legal_representative_id: str = "",
    office_address: str = "",
    independent_legal_entity: bool = False,
    has_fixed_office: bool = False,
    has_finance_system: bool = False,
    staff_compliance: bool = False,
    evaluation_capability: bool = False,
) -> AgencyProfile:
    """Save the profile's own fields (a draft may leave the representative empty; what is
    filled in must be valid). Saving an approved profile with a change sends it back for review.
    """
    _require_agency_member(actor, agency)
    errors: dict[str, str] = {}
    representative = _text(
        legal_representative,
        field="legal_representative",
        label=_("法定代表人姓名"),
        max_length=50,
        required=False,
        errors=errors,
    )
    address = _text(
        office_address,
        field="office_address",
        label=_("办公地址"),
        max_length=300,
        required=False,
        errors=errors,
    )
    resident_id = (legal_representative_id or "").strip()
    if resident_id:
        try:
            resident_id = validate_resident_id(resident_id)
        except ValidationError as error:
            errors["legal_representative_id"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    profile = _locked_profile(agency)
    values = {
        "legal_representative": representative,
        "legal_representative_id": resident_id,
        "office_address": address,
        "independent_legal_entity": bool(independent_legal_entity),
        "has_fixed_office": bool(has_fixed_office),
        "has_finance_system": bool(has_finance_system),
        "staff_compliance": bool(staff_compliance),
        "evaluation_capability": bool(evaluation_capability),
    }
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    if not changed:
        return profile
    for name in changed:
        setattr(profile, name, values[name])
    labels = [str(AgencyProfile._meta.get_field(name).verbose_name) for name in changed]
    _changed(
        profile,
        actor,
        action_label=_("修改资质基本信息"),
        comment=_("修改了：%(fields)s") % {"fields": "、".join(labels)},
        data={"fields": changed},
        fields=changed,
    )
    return profile


# --- the roster ---------------------------------------------------------------------------------


def _staff_values(*, name, full_time, title_level, field, green_evaluation) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": _text(
            name, field="name", label=_("姓名"), max_length=50, required=True, errors=errors
        ),
        "full_time": bool(full_time),
        "title_level": _choice(
            title_level,
            field="title_level",
            label=_("职称级别"),
            choices=TitleLevel.choices,
            errors=errors,
        ),
        "field": _choice(
            field, field="field", label=_("专业领域"), choices=StaffField.choices, errors=errors
        ),
        "green_evaluation": bool(green_evaluation),
    }
    if errors:
        raise ValidationError(errors)
    return values


def _staff_summary(member: StaffMember) -> str:
    return _("%(name)s（%(kind)s，%(title)s，%(field)s%(green)s）") % {
        "name": member.name,
        "kind": _("专职") if member.full_time else _("兼职"),
        "title": member.get_title_level_display(),
        "field": member.get_field_display(),
        "green": "" if member.green_evaluation else _("，不从事绿色评价"),
    }


@transaction.atomic
def staff_add(
    *,
    agency: Organisation,
    actor,
    name: str,
    title_level: str,
    field: str,
    full_time: bool = True,
    green_evaluation: bool = True,
) -> StaffMember:
    _require_agency_member(actor, agency)
    values = _staff_values(
        name=name,
        full_time=full_time,
        title_level=title_level,
        field=field,
        green_evaluation=green_evaluation,
    )
    profile = _locked_profile(agency)
    member = StaffMember.objects.create(agency=agency, **values)
    _changed(
        profile,
        actor,
        action_label=_("新增评价人员"),
        comment=_staff_summary(member),
        data={"staff": member.pk},
    )
    return member


def _locked_row(model, row, actor):
    _require_agency_member(actor, row.agency)
    profile = _locked_profile(row.agency)
    locked = model.objects.select_for_update().filter(pk=row.pk, agency=row.agency).first()
    if locked is None:
        raise DomainError(_("该记录已被删除，请刷新页面。"), code="gone")
    return profile, locked


_UNSET = object()


@transaction.atomic
def staff_update(
    *,
    member: StaffMember,
    actor,
    name=_UNSET,
    full_time=_UNSET,
    title_level=_UNSET,
    field=_UNSET,
    green_evaluation=_UNSET,
) -> StaffMember:
    """Change a roster row; fields left out keep their value."""
    profile, member = _locked_row(StaffMember, member, actor)
    given = {
        "name": name,
        "full_time": full_time,
        "title_level": title_level,
        "field": field,
        "green_evaluation": green_evaluation,
    }
    values = _staff_values(
        **{key: getattr(member, key) if value is _UNSET else value for key, value in given.items()}
    )
    changed = [key for key, value in values.items() if getattr(member, key) != value]
    if not changed:
        return member
    before = _staff_summary(member)
    for key in changed:
        setattr(member, key, values[key])
    member.save(update_fields=changed)
    _changed(
        profile,
        actor,
        action_label=_("修改评价人员"),
        comment=f"{before} → {_staff_summary(member)}",
        data={"staff": member.pk, "fields": changed},
    )
    return member


@transaction.atomic
def staff_remove(*, member: StaffMember, actor) -> None:
    profile, member = _locked_row(StaffMember, member, actor)
    summary = _staff_summary(member)
    member_id = member.pk
    member.delete()
    _changed(
        profile,
        actor,
        action_label=_("删除评价人员"),
        comment=summary,
        data={"staff": member_id},
    )


# --- experience ---------------------------------------------------------------------------------


def _experience_values(*, kind, title, year, led, description) -> dict:
    errors: dict[str, str] = {}
    this_year = clock.today().year
    values = {
        "kind": _choice(
            kind,
            field="kind",
            label=_("业绩类别"),
            choices=ExperienceRecord.Kind.choices,
            errors=errors,
        ),
        "title": _text(
            title, field="title", label=_("项目名称"), max_length=200, required=True, errors=errors
        ),
        "year": year,
        "led": bool(led),
        "description": (description or "").strip(),
    }
    if isinstance(year, bool) or not isinstance(year, int):
        errors["year"] = _("请填写业绩年度（四位数字）。")
    elif year > this_year:
        errors["year"] = _("业绩年度不能晚于今年（%(year)d 年）。") % {"year": this_year}
    elif year < FIRST_EXPERIENCE_YEAR:
        errors["year"] = _("业绩年度不能早于 %(year)d 年。") % {"year": FIRST_EXPERIENCE_YEAR}
    if errors:
        raise ValidationError(errors)
    return values


def _experience_summary(record: ExperienceRecord) -> str:
    return _("%(year)s年 %(title)s（%(kind)s，%(role)s）") % {
        "year": record.year,
        "title": record.title,
        "kind": record.get_kind_display(),
        "role": _("主导") if record.led else _("参与"),
    }


@transaction.atomic
def experience_add(
    *,
    agency: Organisation,
    actor,
    kind: str,
    title: str,
    year: int,
    led: bool = False,
    description: str = "",
) -> ExperienceRecord:
    _require_agency_member(actor, agency)
    values = _experience_values(kind=kind, title=title, year=year, led=led, description=description)
    profile = _locked_profile(agency)
    record = ExperienceRecord.objects.create(agency=agency, **values)
    _changed(
        profile,
        actor,
        action_label=_("新增业绩"),
        comment=_experience_summary(record),
        data={"experience": record.pk},
    )
    return record


@transaction.atomic
def experience_update(
    *,
    record: ExperienceRecord,
    actor,
    kind=_UNSET,
    title=_UNSET,
    year=_UNSET,
    led=_UNSET,
    description=_UNSET,
) -> ExperienceRecord:
    profile, record = _locked_row(ExperienceRecord, record, actor)
    given = {"kind": kind, "title": title, "year": year, "led": led, "description": description}
    values = _experience_values(
        **{key: getattr(record, key) if value is _UNSET else value for key, value in given.items()}
    )
    changed = [key for key, value in values.items() if getattr(record, key) != value]
    if not changed:
        return record
    before = _experience_summary(record)
    for key in changed:
        setattr(record, key, values[key])
    record.save(update_fields=changed)
    _changed(
        profile,
        actor,
        action_label=_("修改业绩"),
        comment=f"{before} → {_experience_summary(record)}",
        data={"experience": record.pk, "fields": changed},
    )
    return record


@transaction.atomic
def experience_remove(*, record: ExperienceRecord, actor) -> None:
    profile, record = _locked_row(ExperienceRecord, record, actor)
    summary = _experience_summary(record)
    record_id = record.pk
    record.delete()
    _changed(
        profile,
        actor,
        action_label=_("删除业绩"),
        comment=summary,
        data={"experience": record_id},
    )


# --- related entities ---------------------------------------------------------------------------


def _related_values(*, agency: Organisation, name, credit_code, relation, exclude_pk=None) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": _text(
            name,
            field="name",
            label=_("关联单位名称"),
            max_length=200,
            required=True,
            errors=errors,
        ),
        "credit_code": normalise(credit_code or ""),
        "relation": _choice(
            relation,
            field="relation",
            label=_("关联关系"),
            choices=RelatedEntity.Relation.choices,
            errors=errors,
        ),
    }
    code = values["credit_code"]
    if not code:
        errors["credit_code"] = _("请填写关联单位的统一社会信用代码。")
    else:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            errors["credit_code"] = error.messages[0]
        else:
            if code == agency.credit_code:
                errors["credit_code"] = _("这是本机构自己的统一社会信用代码，不能登记为关联单位。")
            else:
                duplicate = (
                    RelatedEntity.objects.filter(agency=agency, credit_code=code)
                    .exclude(pk=exclude_pk)
                    .first()
                )
                if duplicate is not None:
                    errors["credit_code"] = _(
                        "统一社会信用代码 %(code)s 已登记为关联单位「%(name)s」，不能重复登记。"
                    ) % {"code": code, "name": duplicate.name}
    if errors:
        raise ValidationError(errors)
    values["related_agency"] = (
        Organisation.objects.filter(kind=Organisation.Kind.AGENCY, credit_code=code)
        .exclude(pk=agency.pk)
        .first()
    )
    return values


def _related_summary(entity: RelatedEntity) -> str:
    text = _("%(name)s（%(code)s，%(relation)s）") % {
        "name": entity.name,
        "code": entity.credit_code,
        "relation": entity.get_relation_display(),
    }
    if entity.related_agency_id:
        text += _("，为已登记的评价机构")
    return text


def _save_related(entity: RelatedEntity, **kwargs) -> None:
    try:
        with transaction.atomic():
            entity.save(**kwargs)
    except IntegrityError:
        raise ValidationError(
            {
                "credit_code": _("统一社会信用代码 %(code)s 已登记为关联单位，不能重复登记。")
                % {"code": entity.credit_code}
            }
        ) from None


@transaction.atomic
def related_add(
    *, agency: Organisation, actor, name: str, credit_code: str, relation: str
) -> RelatedEntity:
    """Declare a related entity; when its code is a registered agency's, link that agency (its
    projects then count with this one's toward 大连 二's cap)."""
    _require_agency_member(actor, agency)
    profile = _locked_profile(agency)
    values = _related_values(agency=agency, name=name, credit_code=credit_code, relation=relation)
    entity = RelatedEntity(agency=agency, **values)
    _save_related(entity)
    _changed(
        profile,
        actor,
        action_label=_("新增关联单位"),
        comment=_related_summary(entity),
        data={"related_entity": entity.pk, "related_agency": entity.related_agency_id},
    )
    return entity


@transaction.atomic
def related_update(
    *, entity: RelatedEntity, actor, name=_UNSET, credit_code=_UNSET, relation=_UNSET
) -> RelatedEntity:
    profile, entity = _locked_row(RelatedEntity, entity, actor)
    given = {"name": name, "credit_code": credit_code, "relation": relation}
    values = _related_values(
        agency=entity.agency,
        exclude_pk=entity.pk,
        **{key: getattr(entity, key) if value is _UNSET else value for key, value in given.items()},
    )
    changed = [
        key
        for key, value in values.items()
        if (getattr(entity, f"{key}_id") if key == "related_agency" else getattr(entity, key))
        != (value.pk if key == "related_agency" and value is not None else value)
    ]
    if not changed:
        return entity
    before = _related_summary(entity)
    for key in changed:
        setattr(entity, key, values[key])
    _save_related(entity, update_fields=changed)
    _changed(
        profile,
        actor,
        action_label=_("修改关联单位"),
        comment=f"{before} → {_related_summary(entity)}",
        data={"related_entity": entity.pk, "fields": changed},
    )
    return entity


@transaction.atomic
def related_remove(*, entity: RelatedEntity, actor) -> None:
    profile, entity = _locked_row(RelatedEntity, entity, actor)
    summary = _related_summary(entity)
    entity_id = entity.pk
    entity.delete()
    _changed(
        profile,
        actor,
        action_label=_("删除关联单位"),
        comment=summary,
        data={"related_entity": entity_id},
    )


# --- submission and decision --------------------------------------------------------------------


def submission_refusals(profile: AgencyProfile) -> list[str]:
    """What must be filled in before the profile can be submitted."""
    refusals = []
    if not profile.legal_representative:
        refusals.append(_("请填写法定代表人姓名。"))
    if not profile.legal_representative_id:
        refusals.append(_("请填写法定代表人身份证号码。"))
    if profile.has_fixed_office and not profile.office_address:
        refusals.append(_("已声明具有固定办公场所，请填写办公地址。"))
    return refusals


@transaction.atomic
def profile_submit(*, agency: Organisation, actor) -> AgencyProfile:
    """The agency submits its profile for review; the approving officials are told.

    The qualification check need not pass to submit (the agency may wish to explain), but
    the officials cannot approve until it does.
    """
    _require_agency_member(actor, agency)

    def complete(row: AgencyProfile, transition) -> None:
        refusals = submission_refusals(row)
        if refusals:
            raise DomainError(
                _("资质信息尚未填写完整，不能提交：%(reasons)s") % {"reasons": "".join(refusals)},
                code="incomplete",
                reasons=refusals,
            )
        row.submitted_at = clock.now()

    profile = run_transition(
        workflow=profile_workflow,
        instance=_locked_profile(agency),
        action="submit",
        actor=actor,
        before_save=complete,
        update_fields=["submitted_at", "updated_at"],
    )
    profile.organisation = agency
    _notify_approvers(
        profile,
        subject=_("评价机构资质待审核：%(name)s") % {"name": agency.name},
        body=_("%(name)s 提交了第三方评价机构资质信息，请审核。") % {"name": agency.name},
    )
    return profile


def approval_refusals(*, profile: AgencyProfile, agency: Organisation) -> list[str]:
    """Why the profile cannot be approved now (empty: it can)."""
    refusals = []
    if agency.status != Organisation.Status.ACTIVE:
        refusals.append(
            _("「%(name)s」的单位注册状态为「%(status)s」，须先通过单位注册审核。")
            % {"name": agency.name, "status": agency.get_status_display()}
        )
    refusals.extend(qualification_of(agency).failure_reasons())
    return refusals


@transaction.atomic
def profile_decide(
    *, agency: Organisation, actor, action: str, comment: str = "", version: str = ""
) -> AgencyProfile:
    """Approve (``approve``) or return (``return``, with reasons) a submitted profile.

    ``version`` is the profile's version the official looked at (from the page); a decision on
    a profile changed since is refused, so that nobody approves what they have not seen.
    """
    _require_approver(actor, agency)
    profile = AgencyProfile.objects.filter(organisation=agency).first()
    if profile is None:
        raise DomainError(_("该机构尚未填报资质信息。"), code="no_profile")
    comment = (comment or "").strip()

    def decide(row: AgencyProfile, transition) -> None:
        if version and version != _version(row):
            raise DomainError(
                _("该机构在您查看后修改了资质信息，请刷新页面核对后再审核。"), code="stale"
            )
        if action == "approve":
            refusals = approval_refusals(profile=row, agency=agency)
            if refusals:
                raise DomainError(
                    _(
                        "「%(name)s」不具备第三方评价机构的基本条件，不能审核通过（济南 第十四条："
                        "对不具备基本条件的第三方机构，不采信其提报的评价报告和评价结果）："
                    )
                    % {"name": agency.name}
                    + "；".join(refusals),
                    code="not_qualified",
                    reasons=refusals,
                )
        row.decided_by = actor
        row.decided_at = clock.now()
        row.decision_comment = comment

    profile = run_transition(
        workflow=profile_workflow,
        instance=profile,
        action=action,
        actor=actor,
        comment=comment,
        before_save=decide,
        update_fields=["decided_by", "decided_at", "decision_comment", "updated_at"],
    )
    if action == "approve":
        subject = _("评价机构资质已审核通过")
        body = _("%(authority)s 已审核通过「%(name)s」的第三方评价机构资质。%(comment)s")
    else:
        subject = _("评价机构资质被退回修改")
        body = _("%(authority)s 退回了「%(name)s」的第三方评价机构资质，理由：%(comment)s")
    authority = actor.organisation.name if actor.organisation_id else actor.display_name
    for member in agency.users.filter(is_active=True):
        notify(
            recipient=member,
            subject=subject,
            body=body % {"authority": authority, "name": agency.name, "comment": comment},
            link=reverse("thirdparty:profile"),
        )
    return profile


def profile_declarations(profile: AgencyProfile | None) -> list[tuple[str, bool]]:
    """The five declarations with their labels, for the pages."""
    return [
        (
            str(AgencyProfile._meta.get_field(name).verbose_name),
            bool(profile is not None and getattr(profile, name)),
        )
        for name in DECLARATIONS
    ]
