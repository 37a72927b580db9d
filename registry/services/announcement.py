"""公告: the public, dated notices of the list's life — publicity notices, published lists,
removals, changes and blacklisted agencies — that the public site lists and the feeds carry.

Each event is announced once: :func:`announce` returns the existing announcement of the same
kind and subject. The small ``announce_*`` functions are called by the services that make the
event happen, inside their transaction, and put only public facts into the announcement: what
was decided, by whom, when, under which document number and how many units. Never an
objector's or complainant's identity, never a score.
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError
from registry.models import Announcement, Listing, ListingEvent
from registry.services.document import queue_published_list

Kind = Announcement.Kind
# The registry's history kinds that are announced as a change of the list.
CHANGE_KINDS = (
    ListingEvent.Kind.NAME_CHANGE,
    ListingEvent.Kind.BOUNDARY_CHANGE,
    ListingEvent.Kind.SCOPE_CHANGE,
    ListingEvent.Kind.RE_REVIEW,
    ListingEvent.Kind.EXTENDED,
)


def _day(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


def _moment(day: datetime.date | None) -> datetime.datetime:
    """When an announcement dated ``day`` is published: now when it is today (or not given),
    otherwise the start of that day in the portal's time zone (Asia/Shanghai)."""
    if day is None or day == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _subject_type(subject, occasion: str = "") -> str:
    label = subject._meta.label_lower
    return f"{label}:{occasion}" if occasion else label


def announcement_of(*, kind: str, subject, occasion: str = "") -> Announcement | None:
    """The announcement already made of ``subject`` (None when there is none)."""
    return Announcement.objects.filter(
        kind=kind, subject_type=_subject_type(subject, occasion), subject_id=subject.pk
    ).first()


def announce(
    *,
    kind: str,
    title: str,
    summary: str,
    authority,
    jurisdiction,
    link: str,
    subject,
    document_number: str = "",
    published_at: datetime.datetime | None = None,
    occasion: str = "",
    actor=None,
) -> Announcement:
    """Publish an announcement of ``subject`` once: a second call for the same kind and subject
    (and ``occasion``, for a second event of the same subject) returns the first one unchanged.

    ``link`` is the public page where the whole of it is read; empty means the announcement's
    own page. Call inside the transaction of the event announced.
    """
    existing = announcement_of(kind=kind, subject=subject, occasion=occasion)
    if existing is not None:
        return existing
    subject_type = _subject_type(subject, occasion)
    announcement = Announcement(
        kind=kind,
        title=title.strip()[:200],
        summary=summary.strip(),
        authority=authority,
        jurisdiction=jurisdiction,
        document_number=document_number.strip()[:100],
        published_at=published_at or clock.now(),
        link=link,
        subject_type=subject_type,
        subject_id=subject.pk,
    )
    try:
        # A savepoint: a concurrent announcement of the same event leaves the caller's
        # transaction usable, and the first one stands.
        with transaction.atomic():
            announcement.save()
            if not link:
                announcement.link = announcement_path(announcement)
                announcement.save(update_fields=["link"])
    except IntegrityError:
        return Announcement.objects.get(kind=kind, subject_type=subject_type, subject_id=subject.pk)
    audit_record(
        subject=announcement,
        actor=actor,
        action="announce",
        action_label=_("发布公告"),
        data={"kind": kind, "subject": f"{subject_type}#{subject.pk}"},
    )
    return announcement


def announcement_path(announcement: Announcement) -> str:
    return reverse("registry:announcement-detail", args=[announcement.pk])


# --- 公示 and 名单公布 (reviews.services.publicity) ---------------------------------------------


def announce_publicity(publicity, *, count: int, actor=None) -> Announcement:
    """The publicity notice: its period and how many units are proposed."""
    batch = publicity.batch
    title = publicity.title if publicity.title.endswith("公示") else f"{publicity.title}公示"
    summary = _(
        "%(authority)s发布「%(title)s」，共 %(count)d 家单位拟列入名单，"
        "公示期 %(start)s 至 %(end)s。公示期内，任何单位和个人可实名提出异议。"
    ) % {
        "authority": batch.authority.name,
        "title": publicity.title,
        "count": count,
        "start": _day(publicity.starts_on),
        "end": _day(publicity.ends_on),
    }
    return announce(
        kind=Kind.PUBLICITY,
        title=title,
        summary=summary,
        authority=batch.authority,
        jurisdiction=batch.jurisdiction,
        link=reverse("reviews:public-publicity-detail", args=[publicity.pk]),
        subject=publicity,
        published_at=_moment(publicity.starts_on),
        actor=actor,
    )


def announce_list(publicity, *, count: int, actor=None) -> Announcement:
    """The published list: its document number and how many units it lists; its PDF is queued
    to be built and stored (registry.services.document.queue_published_list)."""
    batch = publicity.batch
    summary = _(
        "%(authority)s以%(number)s公布%(batch)s名单，经公示无异议，共 %(count)d 家单位列入名单。"
    ) % {
        "authority": batch.authority.name,
        "number": publicity.document_number,
        "batch": batch.title,
        "count": count,
    }
    announcement = announce(
        kind=Kind.LIST,
        title=_("%(batch)s名单公布（%(number)s）")
        % {"batch": batch.title, "number": publicity.document_number},
        summary=summary,
        authority=batch.authority,
        jurisdiction=batch.jurisdiction,
        link=reverse("reviews:public-publicity-detail", args=[publicity.pk]),
        subject=publicity,
        document_number=publicity.document_number,
        published_at=_moment(publicity.published_on),
        actor=actor,
    )
    # The list's PDF is laid out once, by Celery after the commit, and stored for its downloads.
    queue_published_list(publicity, rows=count)
    return announcement


# --- 评价机构黑名单 (thirdparty.services.agencies) ----------------------------------------


def _agency_label(agency) -> str:
    if agency.credit_code:
        return _("%(name)s（统一社会信用代码：%(code)s）") % {
            "name": agency.name,
            "code": agency.credit_code,
        }
    return agency.name


def announce_blacklisting(entry, *, actor=None) -> Announcement:
    """An agency put on the blacklist: who decided, where it applies and until when."""
    summary = _(
        "%(authority)s决定将%(agency)s列入第三方评价机构黑名单，自 %(start)s 起至 %(end)s 止，"
        "在%(scope)s范围内不予采信其出具的评价报告。"
    ) % {
        "authority": entry.authority.name,
        "agency": _agency_label(entry.agency),
        "start": _day(entry.starts_on),
        "end": _day(entry.ends_on),
        "scope": entry.jurisdiction.name,
    }
    return announce(
        kind=Kind.BLACKLIST,
        title=_("「%(agency)s」列入第三方评价机构黑名单") % {"agency": entry.agency.name},
        summary=summary,
        authority=entry.authority,
        jurisdiction=entry.jurisdiction,
        link=reverse("thirdparty:public-blacklist"),
        subject=entry,
        actor=actor,
    )


def announce_blacklist_lifted(entry, *, actor=None) -> Announcement:
    """An entry lifted early: a new announcement of the same kind (the feeds' readers learn of
    it), and the blacklisting's own announcement says it no longer applies."""
    already = announcement_of(kind=Kind.BLACKLIST, subject=entry, occasion="lift")
    if already is not None:
        return already
    lifted_on = entry.lifted_on or clock.today()
    original = announcement_of(kind=Kind.BLACKLIST, subject=entry)
    if original is not None:
        original.summary += _("（已于 %(date)s 提前解除）") % {"date": _day(lifted_on)}
        original.save(update_fields=["summary"])
        audit_record(
            subject=original,
            actor=actor,
            action="amend",
            action_label=_("更新公告"),
            data={"lifted_on": lifted_on.isoformat()},
        )
    summary = _(
        "%(authority)s决定提前解除%(agency)s的第三方评价机构黑名单记录（原定 %(start)s 至 "
        "%(end)s），自 %(date)s 起不再限制采信其出具的评价报告。"
    ) % {
        "authority": entry.authority.name,
        "agency": _agency_label(entry.agency),
        "start": _day(entry.starts_on),
        "end": _day(entry.ends_on),
        "date": _day(lifted_on),
    }
    return announce(
        kind=Kind.BLACKLIST,
        title=_("「%(agency)s」提前解除第三方评价机构黑名单") % {"agency": entry.agency.name},
        summary=summary,
        authority=entry.authority,
        jurisdiction=entry.jurisdiction,
        link=reverse("thirdparty:public-blacklist"),
        subject=entry,
        occasion="lift",
        published_at=_moment(lifted_on),
        actor=actor,
    )


# --- 移出名单 and 名单变更 (the dynamic management of the registry) -------------------------


def _list_label(listing: Listing) -> str:
    return _("%(year)d年度%(level)s%(type)s名单") % {
        "year": listing.year,
        "level": listing.get_level_display(),
        "type": listing.get_unit_type_display(),
    }


def _unit_label(listing: Listing) -> str:
    name = listing.unit_name or listing.organisation.name
    if listing.product_name:
        return f"{name}（{listing.product_name}）"
    return name


def announce_removal(
    listing: Listing,
    *,
    removed_on: datetime.date | None = None,
    reason: str = "",
    document_number: str = "",
    link: str = "",
    actor=None,
) -> Announcement:
    """A unit removed from its list. ``reason`` is published as written: state the public
    grounds (e.g. 发生较大及以上安全、环境事故), never who complained.

    The date and document number default to the listing's removal and its "removed" history
    entry; ``link`` defaults to the announcement's own page.
    """
    removed_on = removed_on or listing.removed_on or clock.today()
    if not document_number:
        document_number = (
            listing.events.filter(kind=ListingEvent.Kind.REMOVED)
            .exclude(document_number="")
            .order_by("-occurred_on", "-pk")
            .values_list("document_number", flat=True)
            .first()
            or ""
        )
    summary = _(
        "%(authority)s决定将%(unit)s移出%(list)s（列入文号：%(listed_number)s），移出日期：%(date)s。"
    ) % {
        "authority": listing.authority.name,
        "unit": _unit_label(listing),
        "list": _list_label(listing),
        "listed_number": listing.document_number,
        "date": _day(removed_on),
    }
    if listing.credit_code:
        summary += _("统一社会信用代码：%(code)s。") % {"code": listing.credit_code}
    if reason.strip():
        summary += _("移出原因：%(reason)s") % {"reason": reason.strip()}
    return announce(
        kind=Kind.REMOVAL,
        title=_("「%(unit)s」移出%(list)s")
        % {"unit": _unit_label(listing), "list": _list_label(listing)},
        summary=summary,
        authority=listing.authority,
        jurisdiction=listing.jurisdiction,
        link=link,
        subject=listing,
        document_number=document_number,
        published_at=_moment(removed_on),
        actor=actor,
    )


def announce_change(event: ListingEvent, *, link: str = "", actor=None) -> Announcement:
    """A change of a listed unit (renamed, boundary or scope changed, re-reviewed, term
    extended); a "removed" history entry is announced as the removal. ``link`` defaults to the
    announcement's own page."""
    listing = event.listing
    if event.kind == ListingEvent.Kind.REMOVED:
        return announce_removal(
            listing,
            removed_on=event.occurred_on,
            reason=event.reason,
            document_number=event.document_number,
            link=link,
            actor=actor,
        )
    if event.kind not in CHANGE_KINDS:
        raise DomainError(
            _("「%(kind)s」随名单公布一并公告，不单独发布变更公告。")
            % {"kind": event.get_kind_display()},
            code="not_a_change",
        )
    facts = {
        "authority": listing.authority.name,
        "unit": _unit_label(listing),
        "list": _list_label(listing),
        "kind": event.get_kind_display(),
        "date": _day(event.occurred_on),
        "old": event.old_value,
        "new": event.new_value,
    }
    summary = _("%(authority)s公布：%(list)s所列%(unit)s%(kind)s（%(date)s）。") % facts
    if event.old_value and event.new_value:
        summary += _("变更前：%(old)s；变更后：%(new)s。") % facts
    elif event.new_value:
        summary += _("变更后：%(new)s。") % facts
    if event.kind == ListingEvent.Kind.EXTENDED and listing.valid_until:
        summary += _("有效期至 %(until)s。") % {"until": _day(listing.valid_until)}
    if event.reason.strip():
        summary += _("说明：%(reason)s") % {"reason": event.reason.strip()}
    return announce(
        kind=Kind.CHANGE,
        title=_("「%(unit)s」%(kind)s") % facts,
        summary=summary,
        authority=listing.authority,
        jurisdiction=listing.jurisdiction,
        link=link,
        subject=event,
        document_number=event.document_number,
        published_at=_moment(event.occurred_on),
        actor=actor,
    )
