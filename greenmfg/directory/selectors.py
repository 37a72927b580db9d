from django.db.models import Q, QuerySet, Sum

from greenmfg.accounts.scoping import scope_queryset, scope_root
from greenmfg.directory.models import (
    SUBTREE_FIELD,
    Jurisdiction,
    Level,
    Organisation,
    OrganisationCount,
)


def organisation_list(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may see: an official's subtree, otherwise their own."""
    queryset = Organisation.objects.select_related("jurisdiction", "jurisdiction__parent")
    root = None if user.is_authenticated and user.is_sysadmin else scope_root(user)
    if root is not None and root.level in SUBTREE_FIELD:
        # The same rows as the path prefix (scope_queryset), asked for by equality on the
        # organisation's own province, city or jurisdiction, so that its (…, name, id) index
        # gives a page in order without reading or sorting the rest of the subtree.
        return queryset.filter(**{SUBTREE_FIELD[root.level]: root})
    return scope_queryset(
        queryset, user, jurisdiction_field="jurisdiction", organisation_field="pk"
    )


def jurisdiction_list(*, user) -> QuerySet[Jurisdiction]:
    """An official's subtree; for everyone else, the jurisdiction of their organisation."""
    queryset = Jurisdiction.objects.select_related("parent")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        root = user.organisation.jurisdiction
        return queryset.filter(path__startswith=root.path)
    if user.organisation_id:
        return queryset.filter(pk=user.organisation.jurisdiction_id)
    return queryset.none()


def county_choices() -> QuerySet[Jurisdiction]:
    """Where an enterprise or park may register: counties, districts and functional zones."""
    return Jurisdiction.objects.filter(level=Level.COUNTY).select_related("parent").order_by("path")


def pending_registrations(*, user) -> QuerySet[Organisation]:
    return (
        organisation_list(user=user)
        .filter(status=Organisation.Status.PENDING)
        .order_by("created_at")
    )


def organisation_counts_by_child(*, user) -> list[dict]:
    """For an official's dashboard: each direct child jurisdiction with its organisation counts.

    Read from the maintained counts (OrganisationCount holds each child's whole subtree), so the
    cost is the number of children, not of organisations below them.
    """
    root = user.organisation.jurisdiction
    children = Jurisdiction.objects.filter(parent=root).order_by("path")
    rows = (
        OrganisationCount.objects.filter(jurisdiction__parent=root)
        .values("jurisdiction_id")
        .annotate(
            n=Sum("total"),
            n_pending=Sum("total", filter=Q(status=Organisation.Status.PENDING)),
        )
        .order_by()
    )
    totals = {
        row["jurisdiction_id"]: {"total": row["n"] or 0, "pending": row["n_pending"] or 0}
        for row in rows
    }
    return [
        {"jurisdiction": child, **totals.get(child.pk, {"total": 0, "pending": 0})}
        for child in children
    ]


def organisation_totals(*, user) -> dict:
    """The dashboard's totals over what ``user`` oversees, from the maintained counts: ``total``,
    ``pending`` and ``by_kind`` (``[{"kind", "total"}]`` in kind order, kinds with none left out).

    An official's subtree is one row per kind and status at the root; an administrator's, the
    rows of the roots (jurisdictions with no parent)."""
    rows = OrganisationCount.objects.filter(total__gt=0)
    if user.is_sysadmin:
        rows = rows.filter(jurisdiction__parent__isnull=True)
    else:
        rows = rows.filter(jurisdiction=user.organisation.jurisdiction_id)
    by_kind: dict[str, int] = {}
    pending = 0
    for kind, status, total in rows.values_list("kind", "status", "total"):
        by_kind[kind] = by_kind.get(kind, 0) + total
        if status == Organisation.Status.PENDING:
            pending += total
    return {
        "total": sum(by_kind.values()),
        "pending": pending,
        "by_kind": [{"kind": kind, "total": by_kind[kind]} for kind in sorted(by_kind)],
    }


def organisation_count(*, user, kind: str = "", status: str = "", within=None) -> int | None:
    """How many organisations ``user`` oversees of ``kind`` and ``status`` (either blank for
    all), within the jurisdiction ``within`` (None: no further limit), from the maintained
    counts. None when the counts cannot answer (the user oversees no subtree)."""
    if user.is_sysadmin:
        scope = None
    elif user.is_official and user.organisation_id:
        scope = user.organisation.jurisdiction
    else:
        return None
    node = scope
    if within is not None:
        if scope is None or scope.contains(within):
            node = within
        elif not within.contains(scope):
            return 0
    rows = OrganisationCount.objects.all()
    if node is None:
        rows = rows.filter(jurisdiction__parent__isnull=True)
    else:
        rows = rows.filter(jurisdiction=node)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.aggregate(n=Sum("total"))["n"] or 0
