"""manage.py generate_data: national-scale data for the benchmarks, here at a small size."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from applications.models import Application
from dynamic_mgmt.models import AnnualTable
from greenmfg.accounts.models import User
from greenmfg.directory.models import Organisation
from registry.models import Listing, ListingEvent
from reviews.models import ExpertAssignment, ScoreSheet
from thirdparty.models import Engagement

pytestmark = pytest.mark.django_db

SIZES = {"units": 300, "applications": 120, "listed": 150, "experts": 4, "agencies": 5}


def generate(**options):
    out = io.StringIO()
    call_command("generate_data", **{**SIZES, **options}, stdout=out)
    return out.getvalue()


def test_it_writes_every_kind_of_row_in_the_sizes_asked():
    output = generate()
    assert "enterprises" in output and "Done in" in output
    enterprises = Organisation.objects.filter(
        kind="enterprise", users__username__startswith="unit-"
    )
    assert enterprises.count() == 300
    # Spread over every county of the three demo cities, names unique within a county.
    assert enterprises.values("jurisdiction").distinct().count() > 30
    assert not (
        enterprises.values("jurisdiction", "name").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )
    applications = Application.objects.filter(organisation__in=enterprises)
    assert applications.count() == 120
    assert applications.values("status").distinct().count() >= 8  # every state of the workflow
    reviewed = applications.filter(status__in=["passed", "listed"])
    assert ExpertAssignment.objects.filter(application__in=reviewed).count() == 3 * reviewed.count()
    assert ScoreSheet.objects.filter(assignment__application__in=reviewed).exists()
    listings = Listing.objects.filter(organisation__in=enterprises)
    assert listings.filter(level="city").count() == 150
    assert ListingEvent.objects.filter(listing__in=listings).count() == listings.count()
    assert AnnualTable.objects.filter(listing__in=listings).exists()
    # The agencies' engagements keep within the strictest cap (15 a year).
    per_year = Engagement.objects.values("agency", "year").annotate(n=Count("pk"))
    assert per_year and max(row["n"] for row in per_year) <= 15


def test_accounts_share_the_password_given_or_none():
    generate(password="Bench-2026!")
    assert User.objects.get(username="unit-000000").check_password("Bench-2026!")
    assert User.objects.get(username="luoyang-pool-000").check_password("Bench-2026!")


def test_it_refuses_a_database_that_already_has_generated_data():
    generate()
    with pytest.raises(CommandError, match="已有生成的数据"):
        generate()
