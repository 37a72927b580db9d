"""Who sees what: the one place that turns a user into a jurisdiction scope.

Officials see their jurisdiction's whole subtree (a county its own, a city its counties, a
province its cities). Everyone else sees only their own organisation's records, plus what is
explicitly sent or assigned to them (later apps add those filters themselves). System
administrators see everything.

Every app filters its querysets through :func:`scope_queryset` or :func:`jurisdiction_q` rather
than writing its own rule.
"""

from django.db.models import Q, QuerySet

from greenmfg.directory.models import Jurisdiction


def scope_root(user) -> Jurisdiction | None:
    """The jurisdiction whose subtree an official oversees; None for everyone else."""
    if not user.is_authenticated or not user.is_official or not user.organisation_id:
        return None
    return user.organisation.jurisdiction


def jurisdiction_q(user, *, field: str) -> Q:
    """A filter on ``field`` (a path to a Jurisdiction) limiting rows to the user's subtree.

    Matches nothing for a user with no subtree, so forgetting a role fails closed.
    """
    if user.is_authenticated and user.is_sysadmin:
        return Q()
    root = scope_root(user)
    if root is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": root.path})


def scope_queryset(
    queryset: QuerySet, user, *, jurisdiction_field: str, organisation_field: str | None = None
) -> QuerySet:
    """Limit ``queryset`` to what ``user`` may see.

    Officials: rows whose jurisdiction is in their subtree. Others: rows of their own
    organisation (``organisation_field``), or nothing when the model has no such field.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        return queryset.filter(jurisdiction_q(user, field=jurisdiction_field))
    if organisation_field and user.organisation_id:
        return queryset.filter(**{organisation_field: user.organisation_id})
    return queryset.none()


def can_oversee(user, jurisdiction: Jurisdiction) -> bool:
    """True when ``jurisdiction`` lies in the official's subtree (or the user is an admin)."""
    if user.is_authenticated and user.is_sysadmin:
        return True
    root = scope_root(user)
    return root is not None and jurisdiction.path.startswith(root.path)
