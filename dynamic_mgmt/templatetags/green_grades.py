"""{% unit_green_grades unit as grades %}: a listed unit's green-code grades for its public page
(one query), each with its basis — percentiles only, never the filed values."""

from django import template

from dynamic_mgmt.services.grade import basis_rows, grades_of_listing, public_grades

register = template.Library()


@register.simple_tag
def unit_green_grades(unit) -> list[dict]:
    listings = getattr(unit, "listings", None) or []
    grades = public_grades(listing_ids=[listing.pk for listing in listings])
    return [{"grade": grade, "basis": basis_rows(grade, with_values=False)} for grade in grades]


@register.simple_tag
def listing_green_grades(listing) -> list:
    """One listing's grades over the years, latest first (one query), for the officials."""
    return list(grades_of_listing(listing=listing))
