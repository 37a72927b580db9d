"""Commands on 动态管理表: a listed unit's users save a draft, attach files and file the table.

Only the users of the listed organisation (企业/园区申报人 of ``listing.organisation``) write its
table, and only under the window that governs the listing for that year, once it has opened.
A table is filed once. Filing after the deadline is accepted and marked late with its date:
the documents punish late filing (洛阳 第十八条(二), 济南 第十九条第7项), they do not forbid it.

Each command takes ``today`` (default: the local date), so that the deadline rule is tested
on its exact days and the schedule can be run for a given date.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import UnitType
from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from dynamic_mgmt.indicators import clean_indicators, indicators_for
from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment, FilingWindow
from dynamic_mgmt.policy import listing_policy
from dynamic_mgmt.removal_grounds import Ground, late_table_ground
from dynamic_mgmt.services.benchmark import compute_benchmarks
from dynamic_mgmt.services.removal import propose_removal
from dynamic_mgmt.services.window import LISTED, window_for
from dynamic_mgmt.workflow import FILE, annual_table_workflow
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from registry.models import Listing, RemovalProposal

__all__ = [
    "ATTACHMENTS_MAX",
    "NOTES_MAX",
    "can_fill",
    "filed_at_for",
    "late_reason",
    "may_record_onsite_refusal",
    "record_onsite_refusal",
    "table_attach",
    "table_detach",
    "table_file",
    "table_save_draft",
]

ATTACHMENTS_MAX = 10
ATTACHMENT_MAX_BYTES = SUPPORTING_MAX_BYTES
NOTES_MAX = 2000
STATE_LABELS = dict(AnnualTable.Status.choices)
# A late table is a ground for removal only under some policies (removal_grounds); the
# proposal it raises is of this source.
SOURCE_LATE = RemovalProposal.Source.OTHER


def can_fill(*, user, listing: Listing) -> bool:
    """The users of the listed organisation (its 申报人 accounts) write its tables."""
    return bool(
        user.is_authenticated
        and user.role == Role.APPLICANT
        and user.organisation_id
        and user.organisation_id == listing.organisation_id
    )


def filed_at_for(today: datetime.date | None) -> datetime.datetime:
    """The moment of filing: now, or the same time of day on ``today`` when it is given."""
    now = clock.local_now()
    if today is None or today == now.date():
        return clock.now()
    return timezone.make_aware(datetime.datetime.combine(today, now.time().replace(tzinfo=None)))


def _open_window(listing: Listing, year: int, actor, today: datetime.date) -> FilingWindow:
    """The governing window of the table, after the permission and date checks."""
    if not can_fill(user=actor, listing=listing):
        raise NotPermitted(_("只有名单单位本单位的用户可以填报动态管理表。"))
    if listing.status not in LISTED:
        raise DomainError(_("该单位已移出名单，无需填报动态管理表。"), code="removed")
    window = window_for(listing=listing, year=year)
    if window is None:
        raise DomainError(
            _("尚未设置%(year)s年度%(level)s名单的动态管理表填报期，请等待主管部门通知。")
            % {"year": year, "level": listing.get_level_display()},
            code="no_window",
        )
    if today < window.opens_on:
        raise DomainError(
            _("%(year)s年度动态管理表的填报期尚未开始（%(opens)s 开始）。")
            % {"year": year, "opens": window.opens_on.isoformat()},
            code="window_not_open",
        )
    return window


def _locked_table(listing: Listing, year: int, window: FilingWindow) -> AnnualTable:
    """The table of the year, locked; a new draft when there is none."""
    table = (
        AnnualTable.objects.select_for_update(of=("self",))
        .filter(listing=listing, year=year)
        .first()
    )
    if table is None:
        try:
            with transaction.atomic():
                table = AnnualTable.objects.create(listing=listing, year=year, window=window)
        except IntegrityError:  # created at the same moment by a colleague
            table = AnnualTable.objects.select_for_update(of=("self",)).get(
                listing=listing, year=year
            )
    if table.status == AnnualTable.Status.FILED:
        raise DomainError(
            _("%(year)s年度动态管理表已于 %(date)s 填报，不能再修改。")
            % {"year": year, "date": timezone.localdate(table.filed_at).isoformat()},
            code="already_filed",
        )
    return table


def _merged(table: AnnualTable, indicators) -> dict:
    """The draft's values with ``indicators`` laid over them (an empty value clears one)."""
    return {**table.indicators, **dict(indicators or {})}


def _clean_notes(notes) -> str:
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": _("说明最多 %(max)d 个字。") % {"max": NOTES_MAX}})
    return notes


@transaction.atomic
def table_save_draft(
    *,
    listing: Listing,
    year: int,
    actor,
    indicators: dict | None = None,
    notes: str | None = None,
    today: datetime.date | None = None,
) -> AnnualTable:
    """Save what the unit has entered so far: every value given is checked (a number, not
    negative, a percentage 0–100, a known choice); empty ones may stay empty until filing.
    Refused as a whole with one message per field, so nothing typed is half kept."""
    today = today or clock.today()
    window = _open_window(listing, year, actor, today)
    table = _locked_table(listing, year, window)
    values, errors = clean_indicators(listing.unit_type, _merged(table, indicators), complete=False)
    if errors:
        raise ValidationError(errors)
    notes = table.notes if notes is None else _clean_notes(notes)
    before = dict(table.indicators)
    changed = sorted(key for key in set(before) | set(values) if before.get(key) != values.get(key))
    if not changed and notes == table.notes and table.window_id == window.pk:
        return table
    table.indicators, table.notes, table.window = values, notes, window
    table.save(update_fields=["indicators", "notes", "window", "updated_at"])
    audit_record(
        subject=table,
        actor=actor,
        action="save_draft",
        action_label=_("保存动态管理表草稿"),
        from_state=table.status,
        to_state=table.status,
        data={"changes": {key: [before.get(key), values.get(key)] for key in changed}},
        state_labels=STATE_LABELS,
    )
    return table


@transaction.atomic
def table_file(
    *,
    listing: Listing,
    year: int,
    actor,
    indicators: dict | None = None,
    notes: str | None = None,
    today: datetime.date | None = None,
) -> AnnualTable:
    """File the table once, every key indicator filled. On or before the deadline it is on
    time; from the day after, it is accepted and marked late (``late=True``) with its date."""
    today = today or clock.today()
    window = _open_window(listing, year, actor, today)
    table = _locked_table(listing, year, window)
    values, errors = clean_indicators(listing.unit_type, _merged(table, indicators), complete=True)
    if not indicators_for(listing.unit_type):
        errors["indicators"] = _("该单位类型没有动态管理表指标。")
    if errors:
        raise ValidationError(errors)
    notes = None if notes is None else _clean_notes(notes)
    late = today > window.deadline

    def fill(row: AnnualTable, transition) -> None:
        if notes is not None:
            row.notes = notes
        row.indicators, row.window = values, window
        row.filed_at, row.filed_by, row.late = filed_at_for(today), actor, late

    table = run_transition(
        workflow=annual_table_workflow,
        instance=table,
        action=FILE,
        actor=actor,
        # can_fill let only the unit's 申报人 this far (a superuser among them included).
        role=actor.role,
        before_save=fill,
        update_fields=[
            "notes",
            "indicators",
            "window",
            "filed_at",
            "filed_by",
            "late",
            "updated_at",
        ],
        audit_comment=(
            _("逾期填报：截止日期 %(deadline)s，填报日期 %(today)s。")
            % {"deadline": window.deadline.isoformat(), "today": today.isoformat()}
            if late
            else ""
        ),
        audit_data={
            "window": window.pk,
            "deadline": window.deadline.isoformat(),
            "filed_on": today.isoformat(),
            "late": late,
            "indicators": values,
        },
    )
    if listing.unit_type == UnitType.FACTORY and listing.city_id:
        # 对标: the city's benchmarks take the new figures in; a failure there is logged, not
        # the filer's (the nightly run recomputes them anyway).
        transaction.on_commit(
            functools.partial(compute_benchmarks, year=year, city_id=listing.city_id), robust=True
        )
    return table


@transaction.atomic
def table_attach(
    *, listing: Listing, year: int, actor, upload, today: datetime.date | None = None
) -> AnnualTableAttachment:
    """Attach a supporting file (PDF, JPG or PNG, checked by its content) to the draft."""
    today = today or clock.today()
    window = _open_window(listing, year, actor, today)
    table = _locked_table(listing, year, window)
    if table.attachments.count() >= ATTACHMENTS_MAX:
        raise DomainError(
            _("每份动态管理表最多上传 %(max)d 个附件。") % {"max": ATTACHMENTS_MAX},
            code="too_many",
            field="file",
        )
    try:
        checked = check_upload(upload, pdf_only=False, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    if table.attachments.filter(sha256=checked.sha256).exists():
        raise DomainError(
            _("文件「%(name)s」已上传过（内容相同）。") % {"name": checked.original_name},
            code="duplicate",
            field="file",
        )
    attachment = AnnualTableAttachment(table=table)
    attachment.fill_from(checked, uploaded_by=actor)
    attachment.save()
    audit_record(
        subject=table,
        actor=actor,
        action="attach",
        action_label=_("上传附件"),
        from_state=table.status,
        to_state=table.status,
        comment=checked.original_name,
        data={"attachment": attachment.pk, "sha256": checked.sha256, "size": checked.size},
        state_labels=STATE_LABELS,
    )
    return attachment


@transaction.atomic
def table_detach(
    *, attachment: AnnualTableAttachment, actor, today: datetime.date | None = None
) -> None:
    """Remove an attachment from a draft (a filed table keeps its files)."""
    today = today or clock.today()
    table = attachment.table
    window = _open_window(table.listing, table.year, actor, today)
    table = _locked_table(table.listing, table.year, window)
    name, sha256, stored = attachment.original_name, attachment.sha256, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit_record(
        subject=table,
        actor=actor,
        action="detach",
        action_label=_("删除附件"),
        from_state=table.status,
        to_state=table.status,
        comment=name,
        data={"sha256": sha256},
        state_labels=STATE_LABELS,
    )


# --- a late table's on-site check ------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


def late_reason(year: int, deadline, rule: Ground, *, refused_on=None) -> str:
    """The reason of a proposal for a late table (the late sweep's, dynamic_mgmt.schedule, and
    the county's on-site refusal's): the year, the deadline, the refusal and the ground of the
    unit's own policy."""
    if deadline is None:
        reason = _("%(year)d年度动态管理表逾期未填报") % {"year": year}
    else:
        reason = _("%(year)d年度动态管理表未在 %(deadline)s 前填报") % {
            "year": year,
            "deadline": _day(deadline),
        }
    if refused_on is not None:
        reason += _("，且于 %(date)s 不配合现场复核") % {"date": _day(refused_on)}
    return reason + _("。依据%(article)s：%(wording)s。") % {
        "article": rule.article,
        "wording": rule.wording,
    }


def may_record_onsite_refusal(*, user, table: AnnualTable) -> bool:
    """The officials whose subtree holds the unit (its county and those above), and admins."""
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return False
    return can_oversee(user, table.listing.jurisdiction)


def record_onsite_refusal(
    *, table: AnnualTable, actor, refused_on: datetime.date
) -> tuple[AnnualTable, RemovalProposal | None]:
    """The county records that the unit refused the on-site check (洛阳 第十八条(二)). A late
    table with a refused check is then a ground for removal under the unit's policy: the
    proposal is opened at once (once). Returns the table and the proposal (None when the
    policy makes no ground of it, or the table is not late yet: the late sweep opens it)."""
    if not may_record_onsite_refusal(user=actor, table=table):
        raise NotPermitted(_("只有单位所在地区及其上级工业和信息化主管部门可以记录现场复核情况。"))
    if refused_on > clock.today():
        raise ValidationError({"refused_on": _("日期不能晚于今天。")})
    with transaction.atomic():
        table = (
            AnnualTable.objects.select_for_update(of=("self",))
            .select_related(
                "window",
                "listing__batch",
                "listing__authority__jurisdiction",
                "listing__jurisdiction",
            )
            .get(pk=table.pk)
        )
        if table.onsite_refused_on is not None:
            raise DomainError(
                _("已记录该单位于 %(date)s 不配合现场复核。")
                % {"date": _day(table.onsite_refused_on)},
                code="already_recorded",
            )
        listing = table.listing
        if listing.status not in LISTED:
            raise DomainError(_("该单位已移出名单。"), code="removed")
        table.onsite_refused_on = refused_on
        table.save(update_fields=["onsite_refused_on", "updated_at"])
        audit_record(
            subject=table,
            actor=actor,
            action="onsite_refused",
            action_label=_("记录不配合现场复核"),
            data={"refused_on": refused_on.isoformat(), "late": table.late},
        )
        proposal = None
        rule = late_table_ground(listing_policy(listing), onsite_refused=True)
        if table.late and rule is not None:
            deadline = table.window.deadline if table.window_id else None
            reason = late_reason(table.year, deadline, rule, refused_on=refused_on)
            proposal = propose_removal(
                listing=listing,
                source=SOURCE_LATE,
                reason=reason,
                actor=actor,
                ground_code=rule.code,
                data={"table": table.pk, "year": table.year},
                once=True,
            )
    return table, proposal
