"""Queries on the published lists."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from applications.models import Application
from applications.selectors.credit import window_start
from greenmfg.accounts.scoping import jurisdiction_q, scope_root
from greenmfg.directory.models import SUBTREE_FIELD, subtree_q
from registry.models import Listing


def listing_scope_q(user, *, field: str = "") -> Q:
    """:func:`greenmfg.accounts.scoping.jurisdiction_q` for listings: the listings of the
    official's subtree (``field``: the path to a Listing, empty for the listing itself).

    The same rows as the path prefix on the listing's jurisdiction, asked for by equality on the
    listing's own province, city or county (Listing.province, .city), so that the lists'
    (…, -listed_on, id) indexes give a page in order without a join to the jurisdictions or a
    sort of the whole subtree. Matches nothing for a user with no subtree (fails closed).
    """
    prefix = f"{field}__" if field else ""
    if user.is_authenticated and user.is_sysadmin:
        return Q()
    root = scope_root(user)
    if root is not None and root.level in SUBTREE_FIELD:
        return subtree_q(root, prefix=prefix)
    return jurisdiction_q(user, field=f"{prefix}jurisdiction")


def listings_in_subtree(queryset: QuerySet[Listing], jurisdiction) -> QuerySet[Listing]:
    """The listings of ``jurisdiction``'s subtree (a region filter): by equality on the
    listing's province, city or county where the node is one, by path prefix above."""
    return queryset.filter(subtree_q(jurisdiction))


def active_listings_of(*, organisation_id: int, unit_type: str, product_name: str = ""):
    return Listing.objects.filter(
        organisation_id=organisation_id,
        unit_type=unit_type,
        product_name=product_name,
        status__in=(Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW),
    )


def listed_levels(*, application: Application) -> set[str]:
    """The levels whose lists currently hold this unit (same unit type and product)."""
    return set(
        active_listings_of(
            organisation_id=application.organisation_id,
            unit_type=application.unit_type,
            product_name=application.product_name,
        ).values_list("level", flat=True)
    )


def listings_of_batch(*, batch_id: int) -> QuerySet[Listing]:
    return Listing.objects.filter(batch_id=batch_id).select_related(
        "organisation", "jurisdiction", "authority"
    )


# How the pre-check names the source of ``removed_from_list``.
REMOVAL = "名单记录：%(authority)s于 %(date)s 将本单位移出%(list)s名单"


def removal_facts(*, application: Application, as_of: date) -> dict[str, tuple[bool, str]]:
    """``removed_from_list`` when the unit was removed from a green manufacturing list in the
    three years up to ``as_of`` (one query): the registry's own record, whatever was declared.

    The pre-check's fact provider (applications.precheck.register_fact_provider, wired in
    RegistryConfig.ready), read by the rules that bar a removed unit from applying."""
    organisation = application.organisation
    same_unit = Q(organisation_id=organisation.pk)
    if organisation.credit_code:
        same_unit |= Q(credit_code=organisation.credit_code)
    removal = (
        Listing.objects.filter(
            same_unit,
            status=Listing.Status.REMOVED,
            removed_on__gte=window_start(as_of),
            removed_on__lte=as_of,
        )
        .select_related("authority")
        .order_by("-removed_on", "-pk")
        .first()
    )
    if removal is None:
        return {}
    source = _(REMOVAL) % {
        "authority": removal.authority.name,
        "date": removal.removed_on.isoformat(),
        "list": f"{removal.year}年度{removal.get_level_display()}{removal.get_unit_type_display()}",
    }
    return {"removed_from_list": (True, source)}
