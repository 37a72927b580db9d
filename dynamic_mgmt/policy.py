"""Which policy governs a listed unit's dynamic management.

A listing made from a batch follows the batch's policy. A listing entered without one (last
years' lists typed in from the published documents) follows the policy of its city: the
authority's city where the authority is a city or county bureau, otherwise the unit's own city
(a provincial or national list's unit is managed by its city, 洛阳 第十六条, 济南 第十四条).
"""

from __future__ import annotations

CITY_POLICIES = {
    "410300": "luoyang-2024",  # 洛阳
    "370100": "jinan-2024",  # 济南
    "210200": "dalian-2022-national",  # 大连
}


def policy_of_path(path: str) -> str:
    """The policy of the city on a jurisdiction path ("" when none is known)."""
    for key in path.strip("/").split("/"):
        if key in CITY_POLICIES:
            return CITY_POLICIES[key]
    return ""


def listing_policy(listing) -> str:
    """The policy code of ``listing`` ("" when neither its batch nor its city names one)."""
    if listing.batch_id:
        return listing.batch.policy
    return policy_of_path(listing.authority.jurisdiction.path) or policy_of_path(
        listing.jurisdiction.path
    )
