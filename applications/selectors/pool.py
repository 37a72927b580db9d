"""Who sees which 培育库 candidates, the counts of a pool, and who may keep it."""

from django.db.models import Count, QuerySet

from applications.models import CultivationCandidate
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import can_oversee, scope_queryset
from greenmfg.directory.models import Jurisdiction, Level, Organisation, subtree_q

POOL_KINDS = (Organisation.Kind.ENTERPRISE, Organisation.Kind.PARK)


def candidate_list(*, user) -> QuerySet[CultivationCandidate]:
    """An official's subtree (a county its pool, a city or province its counties' pools).

    Applicants and the other roles see none: the pool is the bureau's working list.
    """
    queryset = CultivationCandidate.objects.select_related(
        "organisation", "county", "invited_batch"
    )
    return scope_queryset(queryset, user, jurisdiction_field="county")


def pool_summary(*, user) -> dict[str, int]:
    """The number of candidates in each state (every state present), in one query."""
    counts = dict.fromkeys(CultivationCandidate.Status.values, 0)
    rows = candidate_list(user=user).order_by().values("status").annotate(total=Count("id"))
    for row in rows:
        counts[row["status"]] = row["total"]
    return counts


def is_pool_keeper(*, user) -> bool:
    """County bureaus keep their pool (洛阳 第四条); administrators may act for them."""
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    return (
        user.effective_role == Role.COUNTY_OFFICIAL
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.BUREAU
    )


def can_keep_pool(*, user, county: Jurisdiction) -> bool:
    """May ``user`` change the pool of ``county`` (their county or a zone it runs)?"""
    if not is_pool_keeper(user=user):
        return False
    return user.is_sysadmin or can_oversee(user, county)


def pool_organisation_choices(*, user) -> QuerySet[Organisation]:
    """What a keeper may add: the active enterprises and parks of their county (its zones'
    included)."""
    queryset = Organisation.objects.filter(
        kind__in=POOL_KINDS, status=Organisation.Status.ACTIVE
    ).select_related("jurisdiction")
    if not is_pool_keeper(user=user):
        return queryset.none()
    if user.is_sysadmin:
        return queryset.filter(jurisdiction__level=Level.COUNTY)
    return queryset.filter(subtree_q(user.organisation.jurisdiction))
