"""Query budgets of the 评审 lists: opinions, the expert pool and tasks, score sheets, on-site
checks, publicities and objections, recommendations and scoring templates.

The bulk-action pages (reviews/batches/<pk>/bulk/...) are budgeted in
tests/reviews/test_bulk_actions.py (5 and 50 rows, at most 12 queries, all 50 rows shown).
"""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import Application, Batch
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Organisation
from reviews.models import (
    ConflictDeclaration,
    ExpertAssignment,
    ExpertMembership,
    Objection,
    OnsiteCheck,
    OpinionRequest,
    Publicity,
    PublicityItem,
    ScoreSheet,
    ScoringTemplateVersion,
)
from reviews.scoring_templates import TEMPLATES
from reviews.template_format import template_to_dict
from tests.applications.helpers import city_batch

from .budget import Shown, assert_flat_queries
from .rows import applications, bureau, listings, units, users

_serial = itertools.count(1)
TEMPLATE = "green-factory@2025"
S = Application.Status


def scoring_batch():
    return city_batch(scoring_templates={"factory": TEMPLATE})


def new_experts(count: int) -> list[User]:
    [institute] = units(1, county="410300", kind=Organisation.Kind.INSTITUTION)
    return users([institute] * count, role=Role.EXPERT)


def listed_items(response) -> Shown:
    items = response.context["items"]
    return Shown(len(items), len(items), len(items) or 1)


# --- 征求意见 ----------------------------------------------------------------------------------


def opinion_requests(demo):
    batch = city_batch()
    department = demo["luoyang-env"].organisation
    county = demo["luoyang-county"]

    def make(count):
        OpinionRequest.objects.bulk_create(
            OpinionRequest(
                application=application,
                department=department,
                requested_by=county,
                message="请核实近三年环境违法情况",
                due_date=date(2026, 12, 31),
                status=OpinionRequest.Status.ANSWERED
                if index % 2
                else OpinionRequest.Status.PENDING,
                answer=OpinionRequest.Answer.NO_OBJECTION if index % 2 else "",
                answered_by=demo["luoyang-env"] if index % 2 else None,
                answered_at=timezone.now() if index % 2 else None,
            )
            for index, application in enumerate(
                applications(count, batch=batch, status=S.COUNTY_REVIEW)
            )
        )

    return make


@pytest.mark.parametrize("url", ["/opinions/", "/api/opinion-requests/"])
@pytest.mark.parametrize("username", ["luoyang-env", "luoyang-county", "luoyang-city"])
def test_opinion_lists(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, opinion_requests(demo))


# --- the expert pool, assignments and sheets --------------------------------------------------


def memberships(demo):
    authority = demo["luoyang-city"].organisation

    def make(count):
        ExpertMembership.objects.bulk_create(
            ExpertMembership(
                authority=authority,
                expert=expert,
                field="energy",
                title="正高级工程师",
                active_from=2024,
            )
            for expert in new_experts(count)
        )

    return make


@pytest.mark.parametrize("url", ["/experts/", "/api/expert-pool/"])
def test_expert_pool_lists(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, memberships(demo))


def assignments(demo, *, expert=None, sheets=True):
    """Applications in expert review assigned to ``expert`` (a new one each when None), each
    with a draft sheet when ``sheets``."""
    batch = scoring_batch()
    city = demo["luoyang-city"]

    def make(count):
        experts = [expert] * count if expert else new_experts(count)
        made = ExpertAssignment.objects.bulk_create(
            ExpertAssignment(application=application, expert=reviewer, assigned_by=city)
            for application, reviewer in zip(
                applications(count, batch=batch, status=S.EXPERT_REVIEW), experts, strict=True
            )
        )
        if sheets:
            ScoreSheet.objects.bulk_create(
                ScoreSheet(
                    assignment=assignment,
                    template_key=TEMPLATE,
                    answers={"basic.legal": True},
                    comment="材料完整",
                )
                for assignment in made
            )

    return make


@pytest.mark.parametrize(
    "url", ["/reviews/sheets/", "/experts/tasks/", "/api/assignments/", "/api/sheets/"]
)
def test_the_experts_own_lists(client, demo, url):
    expert = demo["luoyang-expert"]
    client.force_login(expert)
    assert_flat_queries(client, url, assignments(demo, expert=expert))


@pytest.mark.parametrize("url", ["/api/assignments/", "/api/sheets/"])
def test_the_authoritys_assignment_lists(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, assignments(demo))


def test_the_application_scores(client, demo):
    """评分汇总: each application with a panel of three and their sheets."""
    batch = scoring_batch()
    city = demo["luoyang-city"]
    panel = new_experts(3)

    def make(count):
        made = ExpertAssignment.objects.bulk_create(
            ExpertAssignment(application=application, expert=expert, assigned_by=city)
            for application in applications(count, batch=batch, status=S.EXPERT_REVIEW)
            for expert in panel
        )
        ScoreSheet.objects.bulk_create(
            ScoreSheet(
                assignment=assignment,
                template_key=TEMPLATE,
                status=ScoreSheet.Status.SUBMITTED,
                total=80,
                basic_met=True,
                submitted_at=timezone.now(),
            )
            for assignment in made
        )

    client.force_login(city)
    assert_flat_queries(client, "/api/application-scores/", make)


def test_the_onsite_checks(client, demo):
    batch = scoring_batch()
    city = demo["luoyang-city"]

    def make(count):
        OnsiteCheck.objects.bulk_create(
            OnsiteCheck(
                application=application,
                visited_on=date(2026, 10, 1),
                team="张工、李工",
                findings="现场情况与申报材料一致",
                passed=True,
                recorded_by=city,
            )
            for application in applications(count, batch=batch, status=S.ONSITE_CHECK)
        )

    client.force_login(city)
    assert_flat_queries(client, "/api/onsite-checks/", make)


def conflicts(expert):
    def make(count):
        ConflictDeclaration.objects.bulk_create(
            ConflictDeclaration(expert=expert, organisation=organisation, reason="曾提供咨询服务")
            for organisation in units(count)
        )

    return make


@pytest.mark.parametrize("url", ["/experts/conflicts/", "/api/conflicts/"])
def test_the_experts_conflicts(client, demo, url):
    expert = demo["luoyang-expert"]
    client.force_login(expert)
    assert_flat_queries(client, url, conflicts(expert))


def test_the_pool_keepers_view_of_conflicts(client, demo):
    expert = demo["luoyang-expert"]
    ExpertMembership.objects.create(
        authority=demo["luoyang-city"].organisation,
        expert=expert,
        field="energy",
        title="正高级工程师",
        active_from=2024,
    )
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, "/api/conflicts/", conflicts(expert))


# --- 公示 ---------------------------------------------------------------------------------------


def publicities(demo):
    """One closed batch each with its publicity of one proposed unit."""
    city = demo["luoyang-city"]
    authority = bureau("410300")

    def make(count):
        batches = Batch.objects.bulk_create(
            Batch(
                authority=authority,
                jurisdiction=authority.jurisdiction,
                year=2026,
                title=f"2026年度绿色制造名单申报（公示第{next(_serial)}批）",
                policy="luoyang-2024",
                unit_types=["factory"],
                status=Batch.Status.CLOSED,
                submission_deadline=timezone.now() - timedelta(days=30),
            )
            for _ in range(count)
        )
        made = Publicity.objects.bulk_create(
            Publicity(
                batch=batch,
                title=f"{batch.title}拟入选名单公示",
                starts_on=date(2026, 11, 1),
                ends_on=date(2026, 11, 10),
                contact="0379-63900000",
                created_by=city,
            )
            for batch in batches
        )
        proposed = [
            applications(1, batch=publicity.batch, status=S.IN_PUBLICITY)[0] for publicity in made
        ]
        PublicityItem.objects.bulk_create(
            PublicityItem(publicity=publicity, application=application, position=1, score=88)
            for publicity, application in zip(made, proposed, strict=True)
        )

    return make


@pytest.mark.parametrize("url", ["/reviews/publicity/", "/api/publicities/"])
def test_the_officials_publicity_lists(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, publicities(demo))


@pytest.mark.parametrize("url", ["/gongshi/", "/api/public/publicities/"])
def test_the_public_publicity_lists(client, demo, url):
    assert_flat_queries(client, url, publicities(demo))


def one_publicity(demo):
    batch = city_batch(status="closed")
    return Publicity.objects.create(
        batch=batch,
        title="2026年度绿色工厂拟入选名单公示",
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=6),
        contact="0379-63900000",
        created_by=demo["luoyang-city"],
    )


def items(publicity, *, objections=True):
    """Proposed units of ``publicity``, each with one pending objection when ``objections``."""

    def make(count):
        start = publicity.items.count()
        made = PublicityItem.objects.bulk_create(
            PublicityItem(
                publicity=publicity, application=application, position=start + index, score=85
            )
            for index, application in enumerate(
                applications(count, batch=publicity.batch, status=S.IN_PUBLICITY), start=1
            )
        )
        if objections:
            Objection.objects.bulk_create(
                Objection(
                    item=item,
                    tracking_code=f"B{next(_serial):09d}",
                    name="张三",
                    organisation_or_id="洛阳市某化工有限公司",
                    phone="0379-12345678",
                    content="该企业曾发生一般环境污染事件。",
                )
                for item in made
            )

    return make


def test_the_objection_list(client, demo):
    publicity = one_publicity(demo)
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, "/api/objections/", items(publicity))


@pytest.mark.parametrize("tab", ["items", "objections"])
def test_the_publicity_manage_page(client, demo, tab):
    publicity = one_publicity(demo)
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(
        client,
        f"/reviews/publicity/{publicity.pk}/?tab={tab}",
        items(publicity),
        count=listed_items,
    )


def test_the_public_publicity_page(client, demo):
    publicity = one_publicity(demo)
    assert_flat_queries(
        client,
        f"/gongshi/{publicity.pk}/",
        items(publicity, objections=False),
        count=listed_items,
    )


def test_the_public_publicity_api_detail(client, demo):
    publicity = one_publicity(demo)

    def shown(response):
        rows = response.json()["items"]
        return Shown(len(rows), len(rows), len(rows) or 1)

    assert_flat_queries(
        client,
        f"/api/public/publicities/{publicity.pk}/",
        items(publicity, objections=False),
        count=shown,
    )


# --- 推荐至上级 ---------------------------------------------------------------------------------


def province_batch():
    authority = bureau("410000")
    return Batch.objects.create(
        authority=authority,
        jurisdiction=authority.jurisdiction,
        year=2026,
        title="2026年度河南省绿色制造名单申报",
        policy="luoyang-2024",
        unit_types=["factory"],
        status=Batch.Status.OPEN,
        submission_deadline=timezone.now() + timedelta(days=30),
    )


def city_listings(count):
    """Units on 洛阳's city list, each through its own application of a city batch."""
    batch = city_batch(status="closed")
    sources = applications(count, batch=batch, status=S.LISTED)
    return listings(
        count,
        organisations=[application.organisation for application in sources],
        batch=batch,
        applications=sources,
    )


def promoted(target):
    def make(count):
        made = city_listings(count)
        Application.objects.bulk_create(
            Application(
                batch=target,
                organisation=listing.organisation,
                jurisdiction=listing.jurisdiction,
                unit_type=listing.unit_type,
                status=S.RECOMMENDED,
                source_application=listing.application,
                submitted_at=timezone.now(),
                created_by=listing.created_by,
            )
            for listing in made
        )

    return make


@pytest.mark.parametrize(
    "url", ["/reviews/batches/{pk}/recommend/", "/api/promotions/candidates/?batch={pk}"]
)
def test_the_promotion_candidates(client, demo, url):
    target = province_batch()
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url.format(pk=target.pk), city_listings)


@pytest.mark.parametrize(
    "url", ["/reviews/batches/{pk}/recommendation-summary/", "/api/promotions/?batch={pk}"]
)
@pytest.mark.parametrize("username", ["luoyang-city", "henan"])
def test_the_recommendation_summary(client, demo, url, username):
    target = province_batch()
    client.force_login(demo[username])
    assert_flat_queries(client, url.format(pk=target.pk), promoted(target))


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city"])
def test_the_county_recommendation_summary(client, demo, username):
    """A county's 推荐汇总表 of a city batch (大连 附件1), and the city's view of it."""
    batch = city_batch()
    client.force_login(demo[username])

    def make(count):
        applications(count, batch=batch, county="410311", status=S.RECOMMENDED)

    assert_flat_queries(client, f"/reviews/batches/{batch.pk}/recommendation-summary/", make)


# --- 评分模板 -----------------------------------------------------------------------------------


def test_the_scoring_templates(client, demo):
    admin = demo["admin"]
    definition = template_to_dict(TEMPLATES[TEMPLATE])

    def make(count):
        ScoringTemplateVersion.objects.bulk_create(
            ScoringTemplateVersion(
                code="budget-factory",
                version=str(version),
                unit_type="factory",
                title=f"预算测试模板{version}",
                definition={**definition, "code": "budget-factory", "version": str(version)},
                created_by=admin,
            )
            for version in itertools.islice(_serial, count)
        )

    def shown(response):
        added = [row for row in response.json() if row["code"] == "budget-factory"]
        return Shown(len(added), len(added), len(added) or 1)

    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, "/api/scoring-templates/", make, count=shown)
