from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from applications.models import IndustryReference
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.directory.models import Jurisdiction


def industry_reference_list(*, user) -> QuerySet[IndustryReference]:
    """An official's own subtree's references and those of the bureaus above it."""
    queryset = IndustryReference.objects.select_related("jurisdiction", "updated_by")
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    own = user.organisation.jurisdiction
    return queryset.filter(
        jurisdiction_q(user, field="jurisdiction") | Q(jurisdiction__key__in=own.ancestor_keys)
    )


def industry_reference_values(
    *, jurisdiction: Jurisdiction, industry: str, year: int
) -> dict[str, tuple[object, str]]:
    """Each reference value for a unit in ``jurisdiction``, with the source it came from.

    References of every bureau above the unit apply; the nearest one wins (a county's own
    figures over its city's, a city's over its province's).
    """
    if not industry:
        return {}
    keys = [*jurisdiction.ancestor_keys, jurisdiction.key]
    references = sorted(
        IndustryReference.objects.filter(
            industry=industry.strip(), year=year, jurisdiction__key__in=keys
        ).select_related("jurisdiction"),
        key=lambda reference: len(reference.jurisdiction.path),
    )
    values: dict[str, tuple[object, str]] = {}
    for reference in references:
        source = _("行业参考值：%(industry)s（%(place)s %(year)d年）") % {
            "industry": reference.industry,
            "place": reference.jurisdiction.name,
            "year": reference.year,
        }
        for key, value in reference.values.items():
            values[key] = (value, source)
    return values
