"""Commands of the complaints (举报).

洛阳 第二十一条: 任何组织或个人可针对绿色制造名单单位和第三方机构相关信息真实性、准确性等方面
存在的问题，向所在县区工业和信息化主管部门或市工业和信息化局实名举报，并提供佐证材料和联系方式。
对受理的举报内容，县区工业和信息化主管部门应及时进行核实，经核实确认存在所举报事项的，视情节轻重
要求进行整改或按第十九条要求从市级绿色制造名单移出，第三方机构存在所举报事项的按本办法第二十条
有关规定处理。济南 第二十一条 says the same (向所在地工业和信息化部门实名举报; 整改不到位的
移出名单或将第三方机构列入黑名单).

So: anyone files a real-name complaint (anonymous ones are refused, naming the articles) with
evidence; it goes to the county of the listed unit, or to the city when the complainant chose to
file there, or to the bureau of the agency's jurisdiction; that bureau (or one above it)
verifies it and closes it with an outcome. A removal outcome raises a removal proposal for the
dynamic management to decide; a blacklist outcome sends the official to the blacklist page,
where the blacklisting stays the bureau's own decision and is then linked to the complaint.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.tracking import PHONE_PATTERN, new_tracking_code
from greenmfg.core.transitions import run_transition
from greenmfg.directory.models import Organisation
from greenmfg.directory.services import officials_of
from greenmfg.notifications.services import notify
from registry.models import Complaint, ComplaintEvidence, Listing, RemovalProposal
from registry.selectors.complaint import (
    BLACKLIST_LINK_ACTION,
    city_of,
    complaint_list,
    complaintable_agencies,
    complaintable_listings,
    linked_blacklist_entry_ids,
    may_handle,
)
from registry.workflow import complaint_workflow

S = Complaint.Status
O = Complaint.Outcome  # noqa: E741 - the outcome choices, as the model names them
STATE_LABELS = dict(S.choices)

CONTENT_MIN = 20  # as CONTENT_TOO_SHORT says
EVIDENCE_MAX_FILES = 5
EVIDENCE_MAX_BYTES = SUPPORTING_MAX_BYTES  # 10 MB a file

# Where a complaint about a listed unit is filed (洛阳 第二十一条: 向所在县区工业和信息化主管部门
# 或市工业和信息化局实名举报).
CHANNEL_COUNTY = "county"
CHANNEL_CITY = "city"
CHANNELS = (
    (CHANNEL_COUNTY, gettext_lazy("向县区工信部门举报")),
    (CHANNEL_CITY, gettext_lazy("向市工信局举报")),
)
REAL_NAME_RULE = gettext_lazy(
    "依据《洛阳市绿色制造体系梯度培育及管理暂行办法》第二十一条、《济南市绿色制造单位梯度培育及"
    "管理办法》第二十一条，举报须实名举报并提供联系方式，匿名举报不予受理。"
)
# Which outcomes fit which subject (洛阳 第二十一条: 名单单位整改或移出; 第三方机构按第二十条处理).
OUTCOMES_BY_SUBJECT = {
    Complaint.Subject.LISTING: (O.UNFOUNDED, O.RECTIFICATION, O.REMOVAL_PROPOSED),
    Complaint.Subject.AGENCY: (O.UNFOUNDED, O.RECTIFICATION, O.BLACKLIST_PROPOSED),
}


def _today() -> datetime.date:
    return clock.today()


def _detail_link(complaint: Complaint) -> str:
    return reverse("registry:complaint-detail", args=[complaint.pk])


def _new_tracking_code() -> str:
    for _attempt in range(10):
        code = new_tracking_code()
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code
    raise DomainError(_("生成查询码失败，请稍后重试。"), code="tracking_code")


# --- filing -------------------------------------------------------------------------------------


def complaint_route(*, subject: str, listing: Listing | None, agency: Organisation | None, channel):
    """The jurisdiction whose bureau handles the complaint."""
    if subject == Complaint.Subject.AGENCY:
        return agency.jurisdiction
    if channel == CHANNEL_CITY:
        return city_of(listing.jurisdiction)
    return listing.jurisdiction


MISSING_IDENTITY = {
    "name": format_lazy("{}{}", gettext_lazy("请填写举报人姓名。"), REAL_NAME_RULE),
    "id_or_organisation": format_lazy(
        "{}{}", gettext_lazy("请填写身份证号或工作单位。"), REAL_NAME_RULE
    ),
    "phone": format_lazy("{}{}", gettext_lazy("请填写联系电话。"), REAL_NAME_RULE),
}
CONTENT_TOO_SHORT = gettext_lazy("请具体说明举报的事项、事实和理由（至少 20 个字）。")


def filing_errors(
    *,
    subject: str,
    listing: Listing | None,
    agency: Organisation | None,
    channel: str,
    name: str,
    id_or_organisation: str,
    phone: str,
    email: str,
    content: str,
) -> dict[str, list[str]]:
    """Why a complaint cannot be filed as typed (the evidence aside), by field. The form shows
    the same refusals as the service raises."""
    errors = subject_errors(subject=subject, listing=listing, agency=agency, channel=channel)
    values = {"name": name, "id_or_organisation": id_or_organisation, "phone": phone}
    for field, value in values.items():
        if not value.strip():
            errors[field] = [str(MISSING_IDENTITY[field])]
    if "phone" not in errors and not PHONE_PATTERN.match(phone.strip()):
        errors["phone"] = [_("请填写有效的联系电话（7–20 位数字，可含“-”）。")]
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = [_("请填写有效的电子邮箱，或留空。")]
    if len(content.strip()) < CONTENT_MIN:
        errors["content"] = [str(CONTENT_TOO_SHORT)]
    return errors


def subject_errors(
    *, subject: str, listing: Listing | None, agency: Organisation | None, channel: str
) -> dict[str, list[str]]:
    if subject == Complaint.Subject.LISTING:
        if listing is None:
            return {"listing": [_("请选择被举报的绿色制造名单单位。")]}
        if not complaintable_listings().filter(pk=listing.pk).exists():
            return {"listing": [_("「%(name)s」不在有效的名单中。") % {"name": listing.unit_name}]}
        if channel not in (CHANNEL_COUNTY, CHANNEL_CITY):
            return {"channel": [_("请选择向县区工信部门还是向市工信局举报。")]}
        return {}
    if subject == Complaint.Subject.AGENCY:
        if agency is None:
            return {"agency": [_("请选择被举报的第三方评价机构。")]}
        if not complaintable_agencies().filter(pk=agency.pk).exists():
            return {"agency": [_("「%(name)s」不是在册的第三方评价机构。") % {"name": agency.name}]}
        return {}
    return {"subject": [_("请选择举报对象：绿色制造名单单位或第三方评价机构。")]}


def evidence_count_error(count: int) -> str | None:
    if count > EVIDENCE_MAX_FILES:
        return _("证据材料最多 %(max)d 个文件，您选择了 %(count)d 个。") % {
            "max": EVIDENCE_MAX_FILES,
            "count": count,
        }
    return None


def _checked_evidence(files) -> tuple[list, list[str]]:
    """The evidence read and checked by content; the refusals, one per bad file."""
    files = [upload for upload in files or [] if upload is not None]
    too_many = evidence_count_error(len(files))
    if too_many:
        return [], [too_many]
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload, pdf_only=False, max_bytes=EVIDENCE_MAX_BYTES))
        except ValidationError as error:
            errors.extend(error.messages)
    # The same file chosen twice is kept once.
    unique = {item.sha256: item for item in checked}
    return list(unique.values()), errors


@transaction.atomic
def complaint_file(
    *,
    subject: str,
    name: str,
    id_or_organisation: str,
    phone: str,
    content: str,
    listing: Listing | None = None,
    agency: Organisation | None = None,
    channel: str = CHANNEL_COUNTY,
    email: str = "",
    evidence=(),
) -> Complaint:
    """Anyone files a real-name complaint with evidence; the handling bureau is told."""
    errors = filing_errors(
        subject=subject,
        listing=listing,
        agency=agency,
        channel=channel,
        name=name,
        id_or_organisation=id_or_organisation,
        phone=phone,
        email=email,
        content=content,
    )
    name, id_or_organisation = name.strip(), id_or_organisation.strip()
    phone, email, content = phone.strip(), email.strip(), content.strip()
    checked, evidence_errors = _checked_evidence(evidence)
    if evidence_errors:
        errors["evidence"] = evidence_errors
    if errors:
        raise ValidationError(errors)
    if subject == Complaint.Subject.LISTING:
        agency = None
    else:
        listing, channel = None, ""
    handling = complaint_route(subject=subject, listing=listing, agency=agency, channel=channel)
    complaint = Complaint.objects.create(
        tracking_code=_new_tracking_code(),
        subject=subject,
        listing=listing,
        agency=agency,
        handling_jurisdiction=handling,
        name=name,
        id_or_organisation=id_or_organisation,
        phone=phone,
        email=email,
        content=content,
    )
    for item in checked:
        row = ComplaintEvidence(complaint=complaint)
        # No uploader on the evidence: the complainant is named only in the complaint.
        row.fill_from(item, uploaded_by=None)
        row.save()
    # No identity in the trail: it is read by whoever sees the complaint.
    audit_record(
        subject=complaint,
        actor=None,
        action="file",
        action_label=_("受理举报"),
        to_state=complaint.status,
        data={
            "subject": subject,
            "listing": listing.pk if listing else None,
            "agency": agency.pk if agency else None,
            "channel": channel,
            "handling_jurisdiction": handling.key,
            "evidence": [item.sha256 for item in checked],
        },
        state_labels=STATE_LABELS,
    )
    target = listing.unit_name if listing else agency.name
    for official in officials_of(jurisdiction=handling):
        notify(
            recipient=official,
            subject=_("收到实名举报：%(target)s") % {"target": target},
            body=_("收到一件针对「%(target)s」的实名举报，请及时核实办理。") % {"target": target},
            link=_detail_link(complaint),
        )
    return complaint


# --- handling -----------------------------------------------------------------------------------


def _locked_rows():
    """The complaint with what the handler's checks read (run_transition locks the row)."""
    return Complaint.objects.select_related("handling_jurisdiction", "listing", "agency")


def _lock(complaint: Complaint) -> Complaint:
    return _locked_rows().select_for_update(of=("self",)).get(pk=complaint.pk)


def _require_handler(actor, complaint: Complaint) -> None:
    if not may_handle(user=actor, complaint=complaint):
        raise NotPermitted(
            _("该举报由%(place)s工业和信息化主管部门受理，只能由其或上级工信部门核实办理。")
            % {"place": complaint.handling_jurisdiction.name}
        )


@transaction.atomic
def complaint_verify(*, complaint: Complaint, actor, comment: str = "") -> Complaint:
    """开始核实: the handling bureau takes the complaint up."""

    def take_up(row: Complaint, transition) -> None:
        row.handled_by = actor

    return run_transition(
        workflow=complaint_workflow,
        instance=complaint,
        action="verify",
        actor=actor,
        comment=comment,
        queryset=_locked_rows(),
        check=lambda row: _require_handler(actor, row),
        before_save=take_up,
        update_fields=["handled_by"],
        audit_comment=comment.strip(),
    )


def _outcome_errors(complaint: Complaint, *, outcome: str, deadline: datetime.date | None) -> dict:
    if outcome not in O.values:
        return {"outcome": [_("请选择核实结论。")]}
    if outcome not in OUTCOMES_BY_SUBJECT[complaint.subject]:
        if outcome == O.REMOVAL_PROPOSED:
            return {"outcome": [_("「建议移出名单」仅适用于对名单单位的举报。")]}
        return {"outcome": [_("「建议列入评价机构黑名单」仅适用于对第三方评价机构的举报。")]}
    if outcome == O.RECTIFICATION:
        if deadline is None:
            return {"rectification_deadline": [_("责令限期整改须写明整改期限。")]}
        if deadline <= _today():
            return {"rectification_deadline": [_("整改期限须晚于今天。")]}
    if outcome == O.REMOVAL_PROPOSED and complaint.listing.status == Listing.Status.REMOVED:
        return {"outcome": [_("该单位已移出名单，无须再建议移出。")]}
    return {}


def _propose_removal(complaint: Complaint, *, actor) -> RemovalProposal:
    """Feed the dynamic management: one open proposal per complaint."""
    proposal = RemovalProposal.objects.filter(
        listing=complaint.listing,
        source=RemovalProposal.Source.COMPLAINT,
        complaint=complaint,
        status=RemovalProposal.Status.OPEN,
    ).first()
    if proposal is not None:
        return proposal
    proposal = RemovalProposal.objects.create(
        listing=complaint.listing,
        source=RemovalProposal.Source.COMPLAINT,
        complaint=complaint,
        reason=complaint.outcome_note,
        created_by=actor,
    )
    audit_record(
        subject=proposal,
        actor=actor,
        action="propose",
        action_label=_("举报核实后建议移出名单"),
        to_state=proposal.status,
        comment=proposal.reason,
        data={"complaint": complaint.pk, "listing": complaint.listing_id},
        state_labels=dict(RemovalProposal.Status.choices),
    )
    listing = complaint.listing
    for member in listing.authority.users.filter(is_active=True):
        notify(
            recipient=member,
            subject=_("移出名单建议：%(name)s") % {"name": listing.unit_name},
            body=_(
                "经核实举报，%(place)s工信部门建议将「%(name)s」移出名单，请按动态管理程序决定。"
            )
            % {"place": complaint.handling_jurisdiction.name, "name": listing.unit_name},
            link=_detail_link(complaint),
        )
    return proposal


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    actor,
    outcome: str,
    note: str,
    rectification_deadline: datetime.date | None = None,
) -> Complaint:
    """办结 with an outcome and a note (shown to the complainant)."""
    note = note.strip()
    proposal = None

    def check(row: Complaint) -> None:
        _require_handler(actor, row)
        if row.status == S.VERIFYING and not note:
            raise ValidationError({"outcome_note": [_("请填写处理意见，将告知举报人。")]})

    def close(row: Complaint, transition) -> None:
        nonlocal proposal
        errors = _outcome_errors(row, outcome=outcome, deadline=rectification_deadline)
        if errors:
            raise ValidationError(errors)
        row.outcome = outcome
        row.outcome_note = note
        row.rectification_deadline = rectification_deadline if outcome == O.RECTIFICATION else None
        row.handled_by = actor
        row.closed_at = clock.now()
        if outcome == O.REMOVAL_PROPOSED:
            proposal = _propose_removal(row, actor=actor)

    def audit_data(row: Complaint) -> dict:
        return {
            "outcome": outcome,
            "rectification_deadline": (
                row.rectification_deadline.isoformat() if row.rectification_deadline else None
            ),
            "removal_proposal": proposal.pk if proposal else None,
        }

    complaint = run_transition(
        workflow=complaint_workflow,
        instance=complaint,
        action="close",
        actor=actor,
        comment=note,
        queryset=_locked_rows(),
        check=check,
        before_save=close,
        update_fields=[
            "outcome",
            "outcome_note",
            "rectification_deadline",
            "handled_by",
            "closed_at",
        ],
        action_label=_("办结：%(outcome)s") % {"outcome": dict(O.choices).get(outcome, outcome)},
        audit_data=audit_data,
    )
    return complaint


# --- the blacklist (the bureau's own decision, linked to the complaint) -------------------------


def complaint_for_blacklist(*, user, complaint_id) -> Complaint | None:
    """The closed complaint proposing to blacklist an agency, when ``user`` handles it."""
    complaint_id = str(complaint_id or "")
    if not complaint_id.isdigit():
        return None
    complaint = (
        complaint_list(user=user)
        .filter(
            pk=int(complaint_id),
            subject=Complaint.Subject.AGENCY,
            outcome=O.BLACKLIST_PROPOSED,
        )
        .first()
    )
    if complaint is None or not may_handle(user=user, complaint=complaint):
        return None
    return complaint


def blacklist_initial_from_complaint(*, user, complaint_id) -> dict:
    """What the blacklist form starts with when opened from a complaint (``?complaint=<id>``):
    the agency and the verified facts (the outcome note; never the complainant)."""
    complaint = complaint_for_blacklist(user=user, complaint_id=complaint_id)
    if complaint is None:
        return {}
    return {
        "agency": complaint.agency_id,
        "reason": _("经核实举报反映的问题：%(note)s") % {"note": complaint.outcome_note},
    }


@transaction.atomic
def complaint_link_blacklist(*, complaint: Complaint, entry, actor) -> Complaint:
    """Record on the complaint the blacklist entry the bureau decided after it."""
    complaint = _lock(complaint)
    _require_handler(actor, complaint)
    if complaint.outcome != O.BLACKLIST_PROPOSED:
        raise DomainError(
            _("只有核实结论为「建议列入评价机构黑名单」的举报可以关联黑名单记录。"),
            code="not_blacklist_outcome",
        )
    if entry.agency_id != complaint.agency_id:
        raise DomainError(_("该黑名单记录的评价机构与被举报的机构不一致。"), code="agency_mismatch")
    if entry.pk in linked_blacklist_entry_ids(complaint=complaint):
        return complaint
    audit_record(
        subject=complaint,
        actor=actor,
        action=BLACKLIST_LINK_ACTION,
        action_label=_("关联评价机构黑名单记录"),
        comment=_("已将「%(name)s」列入黑名单（%(start)s 至 %(end)s）。")
        % {"name": complaint.agency.name, "start": entry.starts_on, "end": entry.ends_on},
        data={"blacklist_entry": entry.pk},
    )
    return complaint


def blacklist_link_from_complaint(*, complaint_id, entry, actor) -> Complaint | None:
    """After the blacklist page created ``entry`` from ``?complaint=<id>``: link the two when
    they match; otherwise nothing (the blacklisting stands on its own)."""
    complaint = complaint_for_blacklist(user=actor, complaint_id=complaint_id)
    if complaint is None or complaint.agency_id != entry.agency_id:
        return None
    return complaint_link_blacklist(complaint=complaint, entry=entry, actor=actor)
