"""填报期: when the listed units of a jurisdiction and a list level file a year's table.

Settings, not code: a city, provincial or national bureau (or an administrator naming one)
sets the window of its jurisdiction for a level and a year — 洛阳 第十六条, national and
provincial units by 15 April; the 大连 notice, 15 November. The window that governs a listing
is the nearest one on the listing's path (its county, city, province, the nation) with the
listing's level and the year, so a city may set its own date inside a province's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_mgmt.models import AnnualTable, FilingWindow
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_root
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Listing

__all__ = [
    "AUTHORITY_LEVELS",
    "EDITABLE",
    "can_create_windows",
    "can_manage_window",
    "deadline_cutoff",
    "keys_on_path",
    "nearest_window",
    "window_create",
    "window_for",
    "window_list",
    "window_update",
]

AUTHORITY_LEVELS = (Level.CITY, Level.PROVINCE, Level.NATIONAL)
WINDOW_AUTHORS = frozenset({Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL})
# The level and year name the tables filed under a window; only the dates and citation move.
EDITABLE = frozenset({"opens_on", "deadline", "reminder_days", "citation"})
REMINDER_MAX_DAYS = 365
CITATION_MAX = FilingWindow._meta.get_field("citation").max_length
LISTED = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)


def keys_on_path(jurisdiction: Jurisdiction) -> list[str]:
    """The keys of ``jurisdiction`` and its ancestors, from its path (no query)."""
    return jurisdiction.path.strip("/").split("/")


def deadline_cutoff(deadline: datetime.date) -> datetime.datetime:
    """The first moment after the deadline day, local time: a table filed from then is late."""
    return timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time.min)
    )


# --- who may do what ---------------------------------------------------------------------------


def _bureau_of(user) -> Organisation | None:
    organisation = user.organisation if user.organisation_id else None
    if organisation is None or organisation.kind != Organisation.Kind.BUREAU:
        return None
    return organisation


def can_create_windows(*, user) -> bool:
    """Administrators, and officials of a city, provincial or national bureau."""
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    bureau = _bureau_of(user)
    return (
        user.role in WINDOW_AUTHORS
        and bureau is not None
        and bureau.jurisdiction.level in AUTHORITY_LEVELS
    )


def can_manage_window(*, user, window: FilingWindow) -> bool:
    """The officials of the bureau that set the window (its jurisdiction), and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    bureau = _bureau_of(user)
    return (
        user.role in WINDOW_AUTHORS
        and bureau is not None
        and bureau.jurisdiction_id == window.authority.jurisdiction_id
    )


# --- queries -----------------------------------------------------------------------------------


def window_list(*, user) -> QuerySet[FilingWindow]:
    """The windows ``user`` may read.

    Officials: the windows of their subtree and those set above them (they govern their units).
    A listed unit's users: the windows on the paths of their listings. Administrators: all.
    """
    queryset = FilingWindow.objects.select_related("jurisdiction", "authority")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        root = scope_root(user)
        if root is None:
            return queryset.none()
        return queryset.filter(
            Q(jurisdiction__path__startswith=root.path)
            | Q(jurisdiction__key__in=root.ancestor_keys)
        )
    if user.role == Role.APPLICANT and user.organisation_id:
        paths = Listing.objects.filter(
            organisation_id=user.organisation_id, status__in=LISTED
        ).values_list("jurisdiction__path", "level")
        keys, levels = set(), set()
        for path, level in paths:
            keys.update(path.strip("/").split("/"))
            levels.add(level)
        return queryset.filter(jurisdiction__key__in=keys, level__in=levels)
    return queryset.none()


def nearest_window(
    windows, *, jurisdiction: Jurisdiction, level: str, year: int
) -> FilingWindow | None:
    """Among ``windows`` (already read), the one governing a unit of ``jurisdiction``."""
    path = jurisdiction.path
    candidates = [
        window
        for window in windows
        if window.level == level
        and window.year == year
        and path.startswith(window.jurisdiction.path)
    ]
    return max(candidates, key=lambda window: len(window.jurisdiction.path), default=None)


def window_for(*, listing: Listing, year: int) -> FilingWindow | None:
    """The window that governs ``listing``'s table of ``year`` (one query)."""
    windows = FilingWindow.objects.select_related("jurisdiction", "authority").filter(
        jurisdiction__key__in=keys_on_path(listing.jurisdiction), level=listing.level, year=year
    )
    return nearest_window(
        list(windows), jurisdiction=listing.jurisdiction, level=listing.level, year=year
    )


# --- commands ----------------------------------------------------------------------------------


def _authority_for(actor, authority: Organisation | None) -> Organisation:
    if actor.is_authenticated and actor.is_sysadmin:
        authority = authority or _bureau_of(actor)
        if authority is None:
            raise ValidationError({"authority": _("请选择设置填报期的工信部门。")})
    elif can_create_windows(user=actor):
        if authority is not None and authority.pk != actor.organisation_id:
            raise NotPermitted(_("只能以本单位名义设置填报期。"), field="authority")
        authority = actor.organisation
    else:
        raise NotPermitted(_("只有市级及以上工信部门可以设置动态管理表填报期。"))
    if (
        authority.kind != Organisation.Kind.BUREAU
        or authority.jurisdiction.level not in AUTHORITY_LEVELS
    ):
        raise ValidationError({"authority": _("填报期须由市级及以上工业和信息化主管部门设置。")})
    return authority


def _clean_reminders(value) -> tuple[list[int], str | None]:
    if value in (None, ""):
        return [], None
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    days = []
    for item in value:
        try:
            number = int(str(item).strip())
        except (TypeError, ValueError):
            return [], _("提醒天数须为正整数，多个用逗号分隔，如 30,7,1。")
        if number <= 0:
            return [], _("提醒天数须为正整数（截止前至少 1 天）。")
        if number > REMINDER_MAX_DAYS:
            return [], _("提醒天数不能超过 %(max)d 天。") % {"max": REMINDER_MAX_DAYS}
        days.append(number)
    return sorted(set(days), reverse=True), None


def _validate(window: FilingWindow) -> None:
    """Every rule of a window's fields; all refusals at once."""
    errors: dict[str, str] = {}
    if window.level not in Level.values:
        errors["level"] = _("请选择名单层级。")
    year = window.year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("请填写有效的年度。")
    if window.opens_on is None:
        errors["opens_on"] = _("请填写开始填报日期。")
    if window.deadline is None:
        errors["deadline"] = _("请填写填报截止日期。")
    elif window.opens_on is not None and window.deadline <= window.opens_on:
        errors["deadline"] = _("填报截止日期须晚于开始填报日期（%(opens)s）。") % {
            "opens": window.opens_on.isoformat()
        }
    days, problem = _clean_reminders(window.reminder_days)
    if problem:
        errors["reminder_days"] = problem
    else:
        window.reminder_days = days
        if days and "deadline" not in errors and window.opens_on and window.deadline:
            length = (window.deadline - window.opens_on).days
            if days[0] > length:
                errors["reminder_days"] = _(
                    "提醒天数（%(days)d 天）超过了填报期的长度（%(length)d 天），那时填报尚未开始。"
                ) % {"days": days[0], "length": length}
    window.citation = (window.citation or "").strip()
    if len(window.citation) > CITATION_MAX:
        errors["citation"] = _("依据最多 %(max)d 个字。") % {"max": CITATION_MAX}
    if errors:
        raise ValidationError(errors)
    duplicate = FilingWindow.objects.filter(
        jurisdiction_id=window.jurisdiction_id, level=window.level, year=window.year
    ).exclude(pk=window.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "year": _("%(place)s%(level)s名单%(year)s年度已设置填报期。")
                % {
                    "place": window.jurisdiction.name,
                    "level": window.get_level_display(),
                    "year": window.year,
                }
            }
        )


def _save(window: FilingWindow) -> None:
    try:
        with transaction.atomic():
            window.save()
    except IntegrityError:
        _validate(window)
        raise


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def window_create(
    *,
    actor,
    level: str,
    year: int,
    opens_on: datetime.date,
    deadline: datetime.date,
    reminder_days=(),
    citation: str = "",
    jurisdiction: Jurisdiction | None = None,
    authority: Organisation | None = None,
) -> FilingWindow:
    """A bureau sets the window of its jurisdiction (or of a place inside it) for a level and
    a year. ``authority`` is only for the system administrator, who belongs to no bureau."""
    authority = _authority_for(actor, authority)
    jurisdiction = jurisdiction or authority.jurisdiction
    if not authority.jurisdiction.contains(jurisdiction):
        raise ValidationError(
            {
                "jurisdiction": _("「%(place)s」不在%(authority)s的管辖范围内。")
                % {"place": jurisdiction.name, "authority": authority.name}
            }
        )
    window = FilingWindow(
        authority=authority,
        jurisdiction=jurisdiction,
        level=level,
        year=year,
        opens_on=opens_on,
        deadline=deadline,
        reminder_days=reminder_days if reminder_days is not None else [],
        citation=citation,
        created_by=actor,
    )
    _validate(window)
    _save(window)
    audit_record(
        subject=window,
        actor=actor,
        action="create",
        action_label=_("设置填报期"),
        data={
            "jurisdiction": jurisdiction.key,
            "level": level,
            "year": year,
            "opens_on": opens_on.isoformat(),
            "deadline": deadline.isoformat(),
            "reminder_days": window.reminder_days,
            "citation": window.citation,
        },
    )
    return window


def _relabel_late(window: FilingWindow) -> dict[str, int]:
    """After a deadline moved, the filed tables of the window are late or not by the new one."""
    cutoff = deadline_cutoff(window.deadline)
    filed = AnnualTable.objects.filter(window=window, status=AnnualTable.Status.FILED)
    now_late = filed.filter(late=False, filed_at__gte=cutoff).update(late=True)
    now_on_time = filed.filter(late=True, filed_at__lt=cutoff).update(late=False)
    return {"now_late": now_late, "now_on_time": now_on_time}


@transaction.atomic
def window_update(*, window: FilingWindow, actor, **changes) -> FilingWindow:
    """Change a window's dates, reminders or citation. A moved deadline relabels the tables
    already filed under it (late or on time by the new date), and says how many in the trail."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"window_update() got unexpected fields: {sorted(unknown)}")
    window = (
        FilingWindow.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "authority__jurisdiction")
        .get(pk=window.pk)
    )
    if not can_manage_window(user=actor, window=window):
        raise NotPermitted(
            _("只有设置该填报期的工信部门（%(authority)s）可以修改。")
            % {"authority": window.authority.name}
        )
    if "citation" in changes:
        changes["citation"] = (changes["citation"] or "").strip()
    if "reminder_days" in changes:
        days, problem = _clean_reminders(changes["reminder_days"])
        if problem:
            raise ValidationError({"reminder_days": problem})
        changes["reminder_days"] = days
    changed = {field: value for field, value in changes.items() if getattr(window, field) != value}
    if not changed:
        return window
    before = {field: _jsonable(getattr(window, field)) for field in changed}
    for field, value in changed.items():
        setattr(window, field, value)
    _validate(window)
    _save(window)
    data = {
        "changes": {field: [before[field], _jsonable(getattr(window, field))] for field in changed}
    }
    if "deadline" in changed:
        data["relabelled"] = _relabel_late(window)
    audit_record(
        subject=window,
        actor=actor,
        action="update",
        action_label=_("修改填报期"),
        data=data,
    )
    return window
