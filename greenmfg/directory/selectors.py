from django.db.models import Count, Q, QuerySet

from greenmfg.accounts.scoping import jurisdiction_q, scope_queryset
from greenmfg.directory.models import Jurisdiction, Level, Organisation


def organisation_list(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may see: an official's subtree, otherwise their own."""
    queryset = Organisation.objects.select_related("jurisdiction", "jurisdiction__parent")
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
    """For an official's dashboard: each direct child jurisdiction with its organisation counts."""
    root = user.organisation.jurisdiction
    children = Jurisdiction.objects.filter(parent=root).order_by("path")
    rows = (
        Organisation.objects.filter(jurisdiction_q(user, field="jurisdiction"))
        .exclude(jurisdiction=root)
        .values("jurisdiction__path")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status=Organisation.Status.PENDING)),
        )
    )
    totals: dict[str, dict] = {}
    for row in rows:
        # Roll each jurisdiction's counts up to the direct child of the root that holds it.
        child_key = row["jurisdiction__path"][len(root.path) :].split("/")[0]
        entry = totals.setdefault(child_key, {"total": 0, "pending": 0})
        entry["total"] += row["total"]
        entry["pending"] += row["pending"]
    return [
        {"jurisdiction": child, **totals.get(child.key, {"total": 0, "pending": 0})}
        for child in children
    ]
