"""Query budgets of the 动态管理 lists: filing windows, annual tables (the officials' overview,
a unit's own and its history), changes, incidents, removal proposals, green grades and
re-reviews."""

import itertools
from datetime import date

import pytest
from django.utils import timezone

from dynamic_mgmt.models import (
    AnnualTable,
    ChangeReport,
    FilingWindow,
    GreenGrade,
    Incident,
    ReReviewCase,
)
from greenmfg.accounts.models import User
from greenmfg.directory.models import Level
from registry.models import RemovalProposal

from .budget import Shown, assert_flat_queries, pages_for
from .rows import bureau, listings

_serial = itertools.count(1)
FACTORY = {
    "energy_per_unit": "12.5",
    "water_per_unit": "3",
    "pollutant_per_unit": "0.08",
    "solid_waste_utilisation_rate": "95.5",
    "carbon_per_unit": "1.2",
    "renewable_energy_share": "20",
}


def rows_in(key):
    def shown(response):
        rows = list(response.context[key])
        return Shown(len(rows), len(rows), len(rows) or 1)

    return shown


def own_listings(user: User):
    """More listings of ``user``'s own unit (a unit may be on several lists and types)."""
    return lambda count: listings(count, organisations=[user.organisation] * count)


def window(*, key="410300", level=Level.PROVINCE, year=2025, **fields) -> FilingWindow:
    authority = bureau(key)
    return FilingWindow.objects.create(
        authority=authority,
        jurisdiction=authority.jurisdiction,
        level=level,
        year=year,
        opens_on=date(year + 1, 1, 1),
        deadline=date(year + 1, 4, 15),
        reminder_days=[30, 7, 1],
        citation="洛阳 第十六条（4月15日前）",
        created_by=User.objects.get(username="luoyang-city"),
        **fields,
    )


# --- 填报期 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/dynamic/windows/", "/api/filing-windows/"])
@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-county"])
def test_the_filing_windows(client, demo, url, username):
    authority = bureau("410300")
    creator = demo["luoyang-city"]

    def make(count):
        FilingWindow.objects.bulk_create(
            FilingWindow(
                authority=authority,
                jurisdiction=authority.jurisdiction,
                level=Level.PROVINCE,
                year=1900 + serial,
                opens_on=date(1901 + serial, 1, 1),
                deadline=date(1901 + serial, 4, 15),
                reminder_days=[30, 7, 1],
                created_by=creator,
            )
            for serial in itertools.islice(_serial, count)
        )

    client.force_login(demo[username])
    assert_flat_queries(client, url, make)


# --- 动态管理表 ----------------------------------------------------------------------------------


def tables(count, *, listings_made=None, year=2025):
    """Units on 洛阳's provincial list, every other one with its filed table of ``year``."""
    made = listings_made or listings(count, level=Level.PROVINCE, listed_on=date(2024, 6, 30))
    filer = User.objects.get(username="luoyang-city")
    AnnualTable.objects.bulk_create(
        AnnualTable(
            listing=listing,
            year=year,
            indicators=FACTORY,
            status=AnnualTable.Status.FILED if index % 2 else AnnualTable.Status.DRAFT,
            filed_at=timezone.now() if index % 2 else None,
            filed_by=filer if index % 2 else None,
            late=index % 4 == 1,
        )
        for index, listing in enumerate(made)
    )


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-county"])
def test_the_table_overview(client, demo, username):
    window()
    client.force_login(demo[username])
    assert_flat_queries(client, "/dynamic/tables/?year=2025", tables)


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-county"])
def test_the_table_api(client, demo, username):
    client.force_login(demo[username])
    assert_flat_queries(client, "/api/annual-tables/", tables)


def test_the_units_own_tables(client, demo):
    """A unit on many lists: one row per listing under the window opened."""
    user = demo["luoyang-enterprise"]
    window()

    def make(count):
        made = listings(
            count,
            organisations=[user.organisation] * count,
            level=Level.PROVINCE,
            listed_on=date(2024, 6, 30),
        )
        tables(count, listings_made=made)

    client.force_login(user)
    assert_flat_queries(client, "/dynamic/tables/mine/", make, count=rows_in("rows"))


def test_a_units_table_history(client, demo):
    """A unit's filed tables over the years, each indicator's change year on year."""
    [listing] = listings(1, level=Level.PROVINCE, listed_on=date(1950, 6, 30))
    filer = User.objects.get(username="luoyang-city")
    years = itertools.count(1960)

    def make(count):
        AnnualTable.objects.bulk_create(
            AnnualTable(
                listing=listing,
                year=year,
                indicators={**FACTORY, "energy_per_unit": str(10 + year % 7)},
                status=AnnualTable.Status.FILED,
                filed_at=timezone.now(),
                filed_by=filer,
            )
            for year in itertools.islice(years, count)
        )

    client.force_login(demo["luoyang-city"])
    assert_flat_queries(
        client, f"/dynamic/tables/{listing.pk}/history/", make, count=rows_in("tables")
    )


# --- 变更、事故、移出 ----------------------------------------------------------------------------


def changes(listings_of=listings):
    reporter = User.objects.get(username="luoyang-county")

    def make(count):
        ChangeReport.objects.bulk_create(
            ChangeReport(
                listing=listing,
                kind=ChangeReport.Kind.NAME,
                old_value=listing.unit_name,
                new_value=f"{listing.unit_name}（新）",
                formalities_on=date(2026, 3, 1),
                reported_on=date(2026, 3, 20),
                due_on=date(2026, 4, 1),
                description="企业更名",
                reported_by=reporter,
                status=ChangeReport.Status.APPROVED if index % 2 else ChangeReport.Status.SUBMITTED,
                decided_by=reporter if index % 2 else None,
            )
            for index, listing in enumerate(listings_of(count))
        )

    return make


@pytest.mark.parametrize(
    ("url", "username"),
    pages_for(
        ["/dynamic/changes/", "/api/change-reports/"],
        ["luoyang-county", "luoyang-city"],
        covered={("/api/change-reports/", "luoyang-city")},  # tests/dynamic_mgmt/test_dm_api.py
    ),
)
def test_the_change_reports(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, changes())


@pytest.mark.parametrize("url", ["/dynamic/changes/", "/api/change-reports/"])
def test_the_units_own_change_reports(client, demo, url):
    user = demo["luoyang-listed"]
    client.force_login(user)
    assert_flat_queries(client, url, changes(own_listings(user)))


@pytest.mark.parametrize(
    ("url", "username"),
    pages_for(
        ["/dynamic/incidents/", "/api/incidents/"],
        ["luoyang-county", "luoyang-city"],
        # tests/dynamic_mgmt/test_dm_api.py and test_incidents.py
        covered={("/api/incidents/", "luoyang-city"), ("/dynamic/incidents/", "luoyang-city")},
    ),
)
def test_the_incidents(client, demo, url, username):
    reporter = demo["luoyang-county"]

    def make(count):
        Incident.objects.bulk_create(
            Incident(
                listing=listing,
                kind=Incident.Kind.SAFETY,
                occurred_on=date(2026, 5, 1),
                reported_on=date(2026, 5, 3),
                description="发生一起重大生产安全事故",
                reported_by=reporter,
            )
            for listing in listings(count)
        )

    client.force_login(demo[username])
    assert_flat_queries(client, url, make)


@pytest.mark.parametrize(
    ("url", "username"),
    pages_for(
        ["/dynamic/removals/", "/api/removal-proposals/"],
        ["luoyang-county", "luoyang-city"],
        covered={("/api/removal-proposals/", "luoyang-city")},  # tests/dynamic_mgmt/test_dm_api.py
    ),
)
def test_the_removal_proposals(client, demo, url, username):
    city = demo["luoyang-city"]
    source, state = RemovalProposal.Source, RemovalProposal.Status

    def make(count):
        RemovalProposal.objects.bulk_create(
            RemovalProposal(
                listing=listing,
                source=source.INCIDENT if index % 2 else source.OTHER,
                reason="发生重大生产安全事故",
                ground="major_accident",
                article="第十八条（三）",
                created_by=city if index % 2 else None,
                status=state.KEPT if index % 3 == 0 else state.OPEN,
                decided_by=city if index % 3 == 0 else None,
                decided_at=timezone.now() if index % 3 == 0 else None,
            )
            for index, listing in enumerate(listings(count))
        )

    client.force_login(demo[username])
    assert_flat_queries(client, url, make)


# --- 企业绿码 -----------------------------------------------------------------------------------


def grades(listings_of=listings, *, year=2026):
    def make(count):
        made = listings_of(count)
        GreenGrade.objects.bulk_create(
            GreenGrade(
                listing=listing,
                year=year,
                industry="机械制造",
                grade=GreenGrade.Grade.A if index % 2 else GreenGrade.Grade.B,
                rank=next(_serial),
                of=100,
                score="0.7500",
                basis={"indicators": {"energy_per_unit": {"percentile": 60, "value": "12.5"}}},
            )
            for index, listing in enumerate(made)
        )

    return make


@pytest.mark.parametrize(
    ("url", "username"),
    pages_for(
        ["/dynamic/grades/", "/api/green-grades/"],
        ["luoyang-county", "luoyang-city"],
        covered={("/api/green-grades/", "luoyang-city")},  # tests/dynamic_mgmt/test_dm_api.py
    ),
)
def test_the_green_grades(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, grades())


@pytest.mark.parametrize("url", ["/dynamic/grades/", "/api/green-grades/"])
def test_the_units_own_grades(client, demo, url):
    user = demo["luoyang-listed"]
    client.force_login(user)
    assert_flat_queries(client, url, grades(own_listings(user)))


def test_a_listings_grades_over_the_years(client, demo):
    [listing] = listings(1)
    years = itertools.count(1960)

    def make(count):
        GreenGrade.objects.bulk_create(
            GreenGrade(
                listing=listing,
                year=year,
                industry="机械制造",
                grade=GreenGrade.Grade.A,
                rank=3,
                of=100,
                score="0.8000",
                basis={"indicators": {"energy_per_unit": {"percentile": 70, "value": "11"}}},
            )
            for year in itertools.islice(years, count)
        )

    client.force_login(demo["luoyang-city"])
    url = f"/dynamic/grades/listings/{listing.pk}/"
    assert_flat_queries(client, url, make, count=rows_in("rows"))


# --- 三年复审 -----------------------------------------------------------------------------------


def cases(listings_of):
    def make(count):
        made = listings_of(count)
        ReReviewCase.objects.bulk_create(
            ReReviewCase(
                listing=listing,
                due_on=date(2027, 6, 30),
                status=ReReviewCase.Status.OPEN if index % 2 else ReReviewCase.Status.EXTENDED,
                decided_by=None,
            )
            for index, listing in enumerate(made)
        )

    return make


def jinan_listings(count):
    return listings(count, city="jinan", listed_on=date(2024, 6, 30), valid_until=date(2027, 6, 30))


@pytest.mark.parametrize("url", ["/dynamic/re-reviews/", "/api/re-reviews/"])
@pytest.mark.parametrize("username", ["jinan-city", "jinan-county"])
def test_the_re_reviews(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, cases(jinan_listings))


@pytest.mark.parametrize("url", ["/dynamic/re-reviews/", "/api/re-reviews/"])
def test_the_units_own_re_reviews(client, demo, url):
    user = demo["jinan-listed"]

    def own(count):
        return listings(
            count,
            city="jinan",
            organisations=[user.organisation] * count,
            valid_until=date(2027, 6, 30),
        )

    client.force_login(user)
    assert_flat_queries(client, url, cases(own))
