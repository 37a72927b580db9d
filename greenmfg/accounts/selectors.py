"""Who is told: the accounts of organisations, read in one query for many of them (the
recipients of notices sent in bulk, greenmfg.notifications.bulk)."""

from collections import defaultdict
from collections.abc import Iterable

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.directory.models import Jurisdiction, Level, Organisation


def unit_users(organisation_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """The active applicant accounts of each organisation: (user id, e-mail)."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = User.objects.filter(
        organisation_id__in=set(organisation_ids), is_active=True, role=Role.APPLICANT
    ).values_list("organisation_id", "id", "email")
    for organisation_id, user_id, email in rows:
        found[organisation_id].append((user_id, email))
    return found


def bureau_users(*, jurisdiction_ids=(), organisation_ids=()) -> dict[int, list[tuple[int, str]]]:
    """The officials of the bureaus at these jurisdictions (keyed by jurisdiction; a zone a
    county runs: the county's) or of these bureaus (keyed by organisation): (user id, e-mail)."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    officials = User.objects.filter(
        is_active=True, role__in=OFFICIAL_ROLES, organisation__kind=Organisation.Kind.BUREAU
    )
    if jurisdiction_ids:
        ids = set(jurisdiction_ids)
        zones = dict(
            Jurisdiction.objects.filter(pk__in=ids, parent__level=Level.COUNTY).values_list(
                "pk", "parent_id"
            )
        )
        at: dict[int, list[tuple[int, str]]] = defaultdict(list)
        rows = officials.filter(organisation__jurisdiction_id__in=ids | set(zones.values()))
        for key, user_id, email in rows.values_list("organisation__jurisdiction_id", "id", "email"):
            at[key].append((user_id, email))
        for key in ids:
            users = at.get(key, []) + at.get(zones.get(key), [])
            if users:
                found[key] = users
    if organisation_ids:
        rows = officials.filter(organisation_id__in=set(organisation_ids))
        for key, user_id, email in rows.values_list("organisation_id", "id", "email"):
            found[key].append((user_id, email))
    return found
