"""Query budgets of the 第三方评价机构 lists: engagements and cap usage, the blacklist (officials'
and public), annual reports and the missing ones, agencies and their rosters."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import Application, Batch
from greenmfg.directory.models import Organisation
from thirdparty.models import (
    AgencyProfile,
    AnnualReport,
    BlacklistEntry,
    Engagement,
    ExperienceRecord,
    RelatedEntity,
    StaffMember,
)

from .budget import Shown, assert_flat_queries
from .rows import applications, bureau, units, users

_serial = itertools.count(1)


def city_batches(count, **fields):
    authority = bureau("410300")
    return Batch.objects.bulk_create(
        Batch(
            authority=authority,
            jurisdiction=authority.jurisdiction,
            year=2026,
            title=f"2026年度绿色制造名单申报（机构第{next(_serial)}批）",
            policy="luoyang-2024",
            unit_types=["factory"],
            status=Batch.Status.OPEN,
            submission_deadline=timezone.now() + timedelta(days=30),
            **fields,
        )
        for _ in range(count)
    )


def engage(agency: Organisation, made: list[Application]) -> None:
    Engagement.objects.bulk_create(
        Engagement(
            agency=agency,
            application=application,
            batch=application.batch,
            year=application.batch.year,
            counted=True,
            created_by=application.created_by,
        )
        for application in made
    )


def engagements(demo):
    """Drafts of new 洛阳 units, each naming the demo agency."""
    agency = demo["luoyang-agency"].organisation
    [batch] = city_batches(1)

    def make(count):
        engage(
            agency,
            applications(
                count,
                batch=batch,
                status=Application.Status.DRAFT,
                agency=agency,
                evaluation_mode="third_party",
            ),
        )

    return make


@pytest.mark.parametrize("url", ["/engagements/", "/api/engagements/"])
@pytest.mark.parametrize("username", ["luoyang-agency", "luoyang-county", "luoyang-city"])
def test_engagement_lists(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, engagements(demo))


@pytest.mark.parametrize("url", ["/engagements/usage/", "/api/engagements/usage/"])
def test_the_cap_usage_by_batch(client, demo, url):
    """项目上限: one row per batch the agency is engaged in."""
    agency = demo["luoyang-agency"].organisation

    def make(count):
        made = [
            applications(1, batch=batch, status=Application.Status.DRAFT, agency=agency)[0]
            for batch in city_batches(count)
        ]
        engage(agency, made)

    def shown(response):
        if url.startswith("/api/"):
            rows = response.json()["batches"]
        else:
            rows = response.context["usage"].batches
        return Shown(len(rows), len(rows), len(rows) or 1)

    client.force_login(demo["luoyang-agency"])
    assert_flat_queries(client, url, make, count=shown)


# --- 黑名单 -------------------------------------------------------------------------------------


def agencies(count, *, profile=True):
    """New approved agencies registered in 洛阳, each with one staff account."""
    made = units(count, county="410300", kind=Organisation.Kind.AGENCY)
    users(made, role="agency_staff")
    if profile:
        AgencyProfile.objects.bulk_create(
            AgencyProfile(
                organisation=agency,
                legal_representative="张法人",
                legal_representative_id=f"11010119900101{agency.pk:04d}"[-18:],
                independent_legal_entity=True,
                has_fixed_office=True,
                has_finance_system=True,
                staff_compliance=True,
                evaluation_capability=True,
                status=AgencyProfile.Status.APPROVED,
            )
            for agency in made
        )
    return made


def blacklist_entries(demo):
    city = demo["luoyang-city"]
    authority = city.organisation
    today = timezone.localdate()

    def make(count):
        BlacklistEntry.objects.bulk_create(
            BlacklistEntry(
                agency=agency,
                authority=authority,
                jurisdiction=authority.jurisdiction,
                reason="出具虚假评价报告",
                starts_on=today - timedelta(days=index),
                ends_on=today + timedelta(days=3 * 365),
                file=f"blacklist/{index:064d}.pdf",
                original_name="处理决定.pdf",
                size=1024,
                extension="pdf",
                content_type="application/pdf",
                sha256=f"{index:064d}",
                created_by=city,
                lifted_on=today if index % 3 == 0 else None,
                lifted_by=city if index % 3 == 0 else None,
            )
            for index, agency in enumerate(agencies(count, profile=False), start=next(_serial))
        )

    return make


@pytest.mark.parametrize("url", ["/agency-blacklist/", "/api/agency-blacklist/"])
@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-county"])
def test_the_officials_blacklist(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, blacklist_entries(demo))


@pytest.mark.parametrize("url", ["/gongshi/agency-blacklist/", "/api/public/agency-blacklist/"])
def test_the_public_blacklist(client, demo, url):
    assert_flat_queries(client, url, blacklist_entries(demo))


# --- 年度工作情况报告 -----------------------------------------------------------------------------


def reports(agency_of):
    """Reports of agencies ``agency_of(count)`` gives, one each (a new version each when the
    same agency comes back)."""

    def make(count):
        made = agency_of(count)
        start = next(_serial) * 100
        AnnualReport.objects.bulk_create(
            AnnualReport(
                agency=agency,
                year=2025,
                number=start + index,
                projects=12,
                summary="本年度开展绿色工厂评价 12 项",
                file=f"agency-reports/{agency.pk}/2025/{index:064d}.pdf",
                original_name="年度工作情况报告.pdf",
                size=1024,
                sha256=f"{index:064d}",
                submitted_by=agency.users.first(),
            )
            for index, agency in enumerate(made)
        )

    return make


@pytest.mark.parametrize("url", ["/annual-reports/", "/api/annual-reports/"])
def test_the_officials_annual_reports(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, reports(agencies))


def test_the_agencys_own_report_versions_api(client, demo):
    agency = demo["luoyang-agency"].organisation
    client.force_login(demo["luoyang-agency"])
    assert_flat_queries(client, "/api/annual-reports/", reports(lambda count: [agency] * count))


def test_the_agencys_own_report_page(client, demo):
    agency = demo["luoyang-agency"].organisation

    def shown(response):
        rows = list(response.context["reports"])
        return Shown(len(rows), len(rows), len(rows) or 1)

    client.force_login(demo["luoyang-agency"])
    assert_flat_queries(
        client, "/annual-reports/mine/", reports(lambda count: [agency] * count), count=shown
    )


@pytest.mark.parametrize("url", ["/annual-reports/missing/", "/api/annual-reports/missing/"])
def test_the_missing_reports(client, demo, url):
    """One row per (batch, agency) past the deadline with no report."""
    [batch] = city_batches(1, agency_report_deadline=date(2026, 1, 31))

    def make(count):
        for agency in agencies(count):
            engage(agency, applications(1, batch=batch, agency=agency))

    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, make)


# --- 机构资质 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/agencies/", "/api/agencies/"])
def test_the_agency_lists(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, agencies)


def roster(agency):
    """Per row: a staff member, an experience record and a related entity (another agency)."""

    def make(count):
        StaffMember.objects.bulk_create(
            StaffMember(
                agency=agency,
                name=f"评价师{next(_serial)}",
                title_level="senior",
                field="energy",
                user=agency.users.first(),
            )
            for _ in range(count)
        )
        ExperienceRecord.objects.bulk_create(
            ExperienceRecord(
                agency=agency, kind="evaluation", title=f"绿色工厂评价{next(_serial)}", year=2025
            )
            for _ in range(count)
        )
        RelatedEntity.objects.bulk_create(
            RelatedEntity(
                agency=agency,
                name=other.name,
                credit_code=other.credit_code,
                relation="affiliate",
                related_agency=other,
            )
            for other in agencies(count, profile=False)
        )

    return make


def whole_roster(response):
    """The page's three tables must each hold every row."""
    context = response.context
    sizes = {
        len(list(context["staff"])),
        len(list(context["experience"])),
        len(list(context["related_entities"])),
    }
    assert len(sizes) == 1, sizes
    [size] = sizes
    return Shown(size, size, size or 1)


def test_the_agencys_profile_page(client, demo):
    [agency] = agencies(1)
    client.force_login(agency.users.first())
    assert_flat_queries(client, "/agency/profile/", roster(agency), count=whole_roster)


def test_the_officials_agency_page(client, demo):
    [agency] = agencies(1)
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, f"/agencies/{agency.pk}/", roster(agency), count=whole_roster)


@pytest.mark.parametrize(
    "url", ["/api/agency-staff/", "/api/agency-experience/", "/api/agency-related-entities/"]
)
@pytest.mark.parametrize("username", ["luoyang-agency", "luoyang-city"])
def test_the_roster_apis(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, roster(demo["luoyang-agency"].organisation))
