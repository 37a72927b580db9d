"""Queries of the blacklist pages: which entries an official sees, which agencies they may
blacklist, the state of an entry, and the public list.

An official sees the entries decided in their subtree and those decided above them that bind
their subtree (a county sees its city's and province's entries: they apply to its
applications). The agencies an official may pick are those they oversee: registered in their
subtree, or engaged on an application in it or in a batch their bureau organised.
"""

import datetime

from django.db.models import Q, QuerySet

from applications.models import Application
from applications.selectors.applications import application_list
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee, scope_root
from greenmfg.core import clock
from greenmfg.directory.models import Organisation
from thirdparty.models import BlacklistEntry, Engagement
from thirdparty.selectors.agencies import (
    blacklisting,
    engagements_in_subtree_q,
    flagged_applications,
)

IN_FORCE = "in_force"
EXPIRED = "expired"
LIFTED = "lifted"
PENDING = "pending"


def _today() -> datetime.date:
    return clock.today()


def state_q(state: str, *, on: datetime.date | None = None) -> Q:
    """A filter for entries in ``state`` on the day ``on`` (today by default)."""
    on = on or _today()
    if state == IN_FORCE:
        return Q(starts_on__lte=on, ends_on__gt=on, lifted_on__isnull=True)
    if state == EXPIRED:
        return Q(ends_on__lte=on, lifted_on__isnull=True)
    if state == LIFTED:
        return Q(lifted_on__isnull=False)
    if state == PENDING:
        return Q(starts_on__gt=on, lifted_on__isnull=True)
    return Q()


def entry_state(entry: BlacklistEntry, *, on: datetime.date | None = None) -> str:
    """The same rule as ``thirdparty.selectors.agencies.in_force``: in force from ``starts_on``
    up to the day before ``ends_on``."""
    on = on or _today()
    if entry.lifted_on is not None:
        return LIFTED
    if entry.ends_on <= on:
        return EXPIRED
    if entry.starts_on > on:
        return PENDING
    return IN_FORCE


def _entries() -> QuerySet[BlacklistEntry]:
    return BlacklistEntry.objects.select_related(
        "agency", "authority", "jurisdiction", "created_by", "lifted_by"
    )


def blacklist_list(*, user) -> QuerySet[BlacklistEntry]:
    """Entries an official sees: decided in their subtree, or above them and binding on it."""
    queryset = _entries()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    root = scope_root(user)
    if root is None:
        return queryset.none()
    return queryset.filter(
        Q(jurisdiction__path__startswith=root.path) | Q(jurisdiction__key__in=root.ancestor_keys)
    )


def public_blacklist() -> QuerySet[BlacklistEntry]:
    """Every entry, for the public page: what is shown there never includes the evidence or
    who recorded or lifted the entry."""
    return BlacklistEntry.objects.select_related("agency", "authority", "jurisdiction").defer(
        "file",
        "original_name",
        "extension",
        "content_type",
        "size",
        "sha256",
        "pages",
        "lift_reason",
    )


def agencies_overseen(*, user) -> QuerySet[Organisation]:
    """The agencies an official oversees: registered in their subtree, or engaged on an
    application in it, or in a batch their bureau organised. Agency staff: their own."""
    queryset = Organisation.objects.filter(kind=Organisation.Kind.AGENCY).select_related(
        "jurisdiction"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.role == Role.AGENCY_STAFF:
        return queryset.filter(pk=user.organisation_id) if user.organisation_id else queryset.none()
    root = scope_root(user)
    if root is None:
        return queryset.none()
    # One subquery of two indexed halves (a UNION): the subtree's engagements by their own
    # county/city/province, and those of the bureau's batches by batch. ORed over a join, the
    # planner read every engagement with its application.
    in_subtree = Engagement.objects.filter(engagements_in_subtree_q(root)).order_by()
    of_batches = Engagement.objects.filter(batch__authority_id=user.organisation_id).order_by()
    engaged = in_subtree.values("agency_id").union(of_batches.values("agency_id"))
    return queryset.filter(Q(jurisdiction__path__startswith=root.path) | Q(pk__in=engaged))


def may_blacklist(*, user) -> bool:
    """Bureau officials of any level decide for their own subtree (洛阳 第二十条, 济南 第十四条,
    大连 二); the service checks the same."""
    organisation = user.organisation if user.is_authenticated and user.organisation_id else None
    return (
        organisation is not None
        and (user.is_official or user.is_sysadmin)
        and organisation.kind == Organisation.Kind.BUREAU
    )


def may_lift(*, user, entry: BlacklistEntry) -> bool:
    """The deciding authority or one above it, while the entry is in force."""
    return (
        may_blacklist(user=user)
        and can_oversee(user, entry.jurisdiction)
        and entry.lifted_on is None
        and entry.ends_on > _today()
    )


def entry_applications(*, entry: BlacklistEntry, user) -> QuerySet[Application]:
    """The applications the entry flags, as far as ``user`` sees them."""
    visible = application_list(user=user).values("pk")
    return (
        flagged_applications(entry=entry)
        .filter(pk__in=visible)
        .select_related("organisation", "batch", "jurisdiction")
        .order_by("batch__year", "organisation__name", "pk")
    )


def application_blacklisting(*, application: Application) -> BlacklistEntry | None:
    """The entry in force that bars the application's agency where the application is."""
    if not application.agency_id:
        return None
    return blacklisting(agency_id=application.agency_id, jurisdiction=application.jurisdiction)
