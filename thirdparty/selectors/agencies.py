"""Queries about agencies: the groups their caps count over, their usage, blacklist entries."""

import datetime

from django.db.models import Q, QuerySet

from applications.models import Application, Batch
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_queryset, scope_root
from greenmfg.core import clock
from greenmfg.directory.models import Jurisdiction, Organisation, subtree_q
from greenmfg.rules.agency import (
    CAPS,
    PER_BATCH_LEGAL_ENTITY,
    PER_YEAR_LEGAL_REPRESENTATIVE,
    AgencyCap,
    governing_caps,
)
from greenmfg.rules.registry import policy_of_path
from thirdparty.models import AgencyProfile, BlacklistEntry, Engagement, RelatedEntity


def same_representative_agencies(*, agency_id: int) -> set[int]:
    """洛阳 第二十条: every agency whose legal representative is this agency's (itself included)."""
    profile = AgencyProfile.objects.filter(organisation_id=agency_id).first()
    if profile is None or not profile.legal_representative_id:
        return {agency_id}
    return set(
        AgencyProfile.objects.filter(
            legal_representative_id=profile.legal_representative_id
        ).values_list("organisation_id", flat=True)
    ) | {agency_id}


def related_agencies(*, agency_id: int) -> set[int]:
    """大连 二: the legal entity together with its related entities, in either direction (the
    agency lists them, or they list it), matched by link or by credit code."""
    agency = Organisation.objects.only("credit_code").get(pk=agency_id)
    listed = RelatedEntity.objects.filter(agency_id=agency_id)
    codes = set(listed.values_list("credit_code", flat=True))
    group = {agency_id}
    group |= set(listed.exclude(related_agency=None).values_list("related_agency_id", flat=True))
    group |= set(
        Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, credit_code__in=codes
        ).values_list("pk", flat=True)
    )
    listed_by_code = Q(credit_code=agency.credit_code) if agency.credit_code else Q(pk__in=[])
    listing_it = RelatedEntity.objects.filter(Q(related_agency_id=agency_id) | listed_by_code)
    group |= set(listing_it.values_list("agency_id", flat=True))
    return group


def cap_group(*, agency_id: int, scope: str) -> set[int]:
    if scope == PER_YEAR_LEGAL_REPRESENTATIVE:
        return same_representative_agencies(agency_id=agency_id)
    return related_agencies(agency_id=agency_id)


def local_policies(*, agency: Organisation, application: Application) -> set[str]:
    """The policies of the city where the evaluated unit lies and of the city where the agency
    is registered: a policy whose cap follows its own units and agencies (洛阳 第二十条) reaches
    their engagements in a national batch run under another document."""
    paths = (application.jurisdiction.path, agency.jurisdiction.path)
    return {policy for policy in map(policy_of_path, paths) if policy}


def engagement_caps(*, agency: Organisation, application: Application) -> list[AgencyCap]:
    """The caps that reach the agency's engagement on ``application`` (see ``governing_caps``)."""
    batch = application.batch
    return governing_caps(
        batch_policy=batch.policy,
        batch_level=batch.level,
        local_policies=local_policies(agency=agency, application=application),
    )


def counted_at_levels(queryset: QuerySet[Engagement], cap: AgencyCap) -> QuerySet[Engagement]:
    """Only the engagements in batches of a level the cap counts (洛阳 第二十条: national)."""
    if cap.levels is None:
        return queryset
    return queryset.filter(batch__jurisdiction__level__in=sorted(cap.levels))


def counted_engagements(*, group: set[int], cap: AgencyCap, batch: Batch) -> QuerySet[Engagement]:
    """The group's engagements that count with one in ``batch`` under ``cap``."""
    queryset = Engagement.objects.filter(
        agency_id__in=group, status=Engagement.Status.ACTIVE, counted=True
    )
    if cap.scope == PER_YEAR_LEGAL_REPRESENTATIVE:
        queryset = queryset.filter(year=batch.year)
    else:
        queryset = queryset.filter(batch=batch)
    return counted_at_levels(queryset, cap)


# The rule of each counting scope (the policies that define them).
YEAR_RULE = next(c for c in CAPS.values() if c.scope == PER_YEAR_LEGAL_REPRESENTATIVE)
BATCH_RULE = next(c for c in CAPS.values() if c.scope == PER_BATCH_LEGAL_ENTITY)


def year_usage(*, agency_id: int, year: int) -> int:
    """洛阳 第二十条's count for a year: the same legal representative's counted projects in
    national-level batches (city and provincial projects are not counted)."""
    group = same_representative_agencies(agency_id=agency_id)
    queryset = Engagement.objects.filter(
        agency_id__in=group, status=Engagement.Status.ACTIVE, counted=True, year=year
    )
    return counted_at_levels(queryset, YEAR_RULE).count()


def batch_usage(*, agency_id: int, batch: Batch) -> int:
    """大连 二's count for a batch: the legal entity and its related entities."""
    group = related_agencies(agency_id=agency_id)
    return Engagement.objects.filter(
        agency_id__in=group, status=Engagement.Status.ACTIVE, counted=True, batch=batch
    ).count()


def _today() -> datetime.date:
    return clock.today()


def in_force(queryset: QuerySet[BlacklistEntry], *, on: datetime.date | None = None):
    on = on or _today()
    return queryset.filter(starts_on__lte=on, ends_on__gt=on, lifted_on__isnull=True)


def blacklisting(
    *, agency_id: int, jurisdiction: Jurisdiction, on: datetime.date | None = None
) -> BlacklistEntry | None:
    """The entry in force that bars the agency at ``jurisdiction`` (an authority's subtree)."""
    keys = [*jurisdiction.ancestor_keys, jurisdiction.key]
    entries = BlacklistEntry.objects.filter(agency_id=agency_id, jurisdiction__key__in=keys)
    return in_force(entries, on=on).select_related("authority").order_by("ends_on").last()


# Applications whose review is over: a blacklisting no longer changes their outcome.
SETTLED_STATES = (
    Application.Status.NOT_RECOMMENDED,
    Application.Status.FAILED,
    Application.Status.LISTED,
    Application.Status.NOT_LISTED,
)


def flagged_applications(*, entry: BlacklistEntry) -> QuerySet[Application]:
    """Applications in the entry's subtree carrying the agency's evaluation, still in play."""
    return Application.objects.filter(
        agency_id=entry.agency_id,
        jurisdiction__path__startswith=entry.jurisdiction.path,
    ).exclude(status__in=SETTLED_STATES)


def engagements_in_subtree_q(root: Jurisdiction) -> Q:
    """The engagements whose application lies in ``root``'s subtree.

    The same rows as the application's path prefix, asked for by equality on the engagement's
    own county, city or province (copied from the application), so that the list's
    (…, -created_at, -id) index gives a page and the capped count without joining the
    applications. The nation, which has no such column, keeps the prefix on the engagement's
    own county.
    """
    return subtree_q(root)


def agency_engagements(*, user) -> QuerySet[Engagement]:
    """Agency staff see their agency's engagements; officials those in their subtree."""
    if not user.is_authenticated or not (
        user.role == Role.AGENCY_STAFF or user.is_official or user.is_sysadmin
    ):
        return Engagement.objects.none()
    queryset = Engagement.objects.select_related(
        "agency", "application__organisation", "application__batch", "application__jurisdiction"
    )
    root = None if user.is_sysadmin else scope_root(user)
    if root is not None:
        return queryset.filter(engagements_in_subtree_q(root))
    return scope_queryset(
        queryset,
        user,
        jurisdiction_field="application__jurisdiction",
        organisation_field="agency",
    )
