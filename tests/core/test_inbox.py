"""待办: each role's counts on the dashboard, scoped to what the role may see, with the nearest
deadline (overdue ones said in words) and a fixed number of queries whatever the amount of work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from greenmfg.accounts.models import User
from greenmfg.audit.services import audit_record
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.portal.inbox import applicant_inbox
from reviews.models import (
    ExpertAssignment,
    Objection,
    OnsiteCheck,
    OpinionRequest,
    Publicity,
    PublicityItem,
)
from reviews.selectors.inbox import (
    authority_inbox,
    county_inbox,
    department_inbox,
    expert_inbox,
)
from tests.applications.helpers import city_batch
from tests.factories import (
    ApplicationFactory,
    BatchQuotaFactory,
    ExpertAssignmentFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

A = ExpertAssignment.Status


def node(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def app(batch, status, *, county="410311", organisation=None, **kwargs) -> Application:
    organisation = organisation or OrganisationFactory(jurisdiction=node(county))
    # One existing account creates every arranged application: no user (and no hashing) per row.
    creator = User.objects.get(username="admin")
    return ApplicationFactory(
        batch=batch, organisation=organisation, status=status, created_by=creator, **kwargs
    )


def department(demo, slug="env") -> Organisation:
    return demo[f"luoyang-{slug}"].organisation


def opinion(demo, application, *, slug="env", due=None, status="pending"):
    return OpinionRequest.objects.create(
        application=application,
        department=department(demo, slug),
        requested_by=demo["luoyang-county"],
        due_date=due,
        status=status,
        answer="no_objection" if status == "answered" else "",
    )


def assign(application, expert, status=A.ASSIGNED, *, by):
    return ExpertAssignmentFactory(
        application=application, expert=expert, status=status, assigned_by=by
    )


def today():
    return timezone.localdate()


# --- 县（区） -------------------------------------------------------------------------------


@pytest.fixture
def county_work(demo):
    batch = city_batch(recommendation_deadline=timezone.now() - timedelta(hours=1))
    BatchQuotaFactory(batch=batch, county=node("410311"), quota=3)
    BatchQuotaFactory(batch=batch, county=node("410307"), quota=1)
    for _ in range(2):
        app(batch, "submitted")
    app(batch, "submitted", county="410307")
    in_review = [app(batch, "county_review") for _ in range(3)]
    other_review = app(batch, "county_review", county="410307")
    app(batch, "recommended")
    app(batch, "recommended", county="410307")
    app(batch, "draft")  # a draft is the applicant's, not the county's
    opinion(demo, in_review[0], due=today() - timedelta(days=1))
    opinion(demo, in_review[1], due=today() + timedelta(days=2))
    opinion(demo, in_review[2], slug="safety", status="answered")
    opinion(demo, other_review, due=today() - timedelta(days=5))
    return batch


def test_county_counts_its_own_subtree_only(demo, county_work):
    inbox = county_inbox(user=demo["luoyang-county"])

    counts = {item.key: item.count for item in inbox.items}
    assert counts == {
        "submitted": 2,
        "county_review": 3,
        "opinions_pending": 2,
        "opinions_overdue": 1,
    }
    pending = inbox.item("opinions_pending")
    assert pending.deadline.value == today() - timedelta(days=1) and pending.deadline.overdue
    assert inbox.item("submitted").deadline.overdue  # the recommendation deadline has passed
    [row] = [row for row in inbox.batches if row["batch"] == county_work]
    assert (row["submitted"], row["in_review"]) == (2, 3)
    assert (row["quota"], row["used"], row["left"]) == (3, 1, 2)
    assert row["accepts"] is False and row["deadline"].overdue


def test_another_county_sees_its_own_numbers(demo, county_work):
    inbox = county_inbox(user=demo["luoyang-county2"])

    counts = {item.key: item.count for item in inbox.items}
    assert counts == {
        "submitted": 1,
        "county_review": 1,
        "opinions_pending": 1,
        "opinions_overdue": 1,
    }
    [row] = [row for row in inbox.batches if row["batch"] == county_work]
    assert (row["quota"], row["used"], row["left"]) == (1, 1, 0)


def test_a_county_of_another_city_counts_nothing(demo, county_work):
    inbox = county_inbox(user=demo["jinan-county"])
    assert all(item.count == 0 for item in inbox.items)
    assert county_work not in [row["batch"] for row in inbox.batches]


def test_county_dashboard_shows_counts_links_and_overdue_in_words(client, demo, county_work):
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("dashboard")).content.decode()

    assert "待办" in body and "已逾期" in body
    assert f"{reverse('applications:application-list')}?status=submitted" in body
    assert reverse("reviews:bulk-recommend", args=[county_work.pk]) in body
    assert "共 3 个，已用 1 个，剩余 2 个" in body
    assert "已停止接收推荐" in body


# --- 批次组织单位 -------------------------------------------------------------------------------


@pytest.fixture
def authority_work(demo):
    city = demo["luoyang-city"]
    experts = [demo["luoyang-expert"], demo["luoyang-expert2"], demo["luoyang-expert3"]]
    deadline = today() + timedelta(days=10)
    batch = city_batch(experts_per_application=2, scoring_deadline=deadline)
    app(batch, "recommended")
    app(batch, "recommended", county="410307")
    incomplete = app(batch, "expert_review")
    assign(incomplete, experts[0], by=city)
    assign(incomplete, experts[1], A.WITHDRAWN, by=city)
    ready = app(batch, "expert_review")
    for expert in experts[:2]:
        assign(ready, expert, A.SUBMITTED, by=city)
    unvisited = app(batch, "onsite_check")
    for expert in experts[:2]:
        assign(unvisited, expert, A.SUBMITTED, by=city)
    visited = app(batch, "onsite_check")
    for expert in experts[:2]:
        assign(visited, expert, A.SUBMITTED, by=city)
    assign(visited, experts[2], A.WITHDRAWN, by=city)
    OnsiteCheck.objects.create(
        application=visited,
        visited_on=today(),
        team="张三、李四",
        findings="与申报一致",
        passed=True,
        recorded_by=city,
    )
    app(batch, "passed")
    # Another bureau's batches (a city and the province above) count for them, not for 洛阳市.
    jinan = city_batch("370100", policy="jinan-2024")
    app(jinan, "recommended", county="370102")
    province = Organisation.objects.get(kind="bureau", jurisdiction__key="410000")
    henan = city_batch(title="省级批次")
    henan.authority, henan.jurisdiction = province, province.jurisdiction
    henan.save()
    app(henan, "recommended")
    # A publicity of another 洛阳 batch, past its end date, with objections.
    listed = city_batch()
    publicity = Publicity.objects.create(
        batch=listed,
        title="拟入选名单公示",
        starts_on=today() - timedelta(days=8),
        ends_on=today() - timedelta(days=1),
        contact="0379-12345678",
        created_by=city,
    )
    item = PublicityItem.objects.create(
        publicity=publicity, application=app(listed, "in_publicity"), position=1
    )
    for n, status in enumerate(["pending", "pending", "dismissed"]):
        Objection.objects.create(
            item=item,
            tracking_code=f"T{n:05d}",
            name="王五",
            organisation_or_id="某公司",
            phone="13800000000",
            content="数据不实",
            status=status,
        )
    return batch, publicity


def test_authority_counts_the_review_work_of_its_own_batches(demo, authority_work):
    batch, publicity = authority_work
    inbox = authority_inbox(user=demo["luoyang-city"])

    counts = {item.key: item.count for item in inbox.items}
    assert counts == {
        "recommended": 2,
        "panel_incomplete": 1,
        "sheets": 1,
        "ready": 2,
        "onsite_pending": 1,
        "publicity_open": 1,
        "objections": 2,
        "passed": 1,
    }
    assert inbox.item("sheets").note == "已提交 6 / 应提交 7 份"
    assert inbox.item("recommended").deadline.value == batch.scoring_deadline
    [row] = [row for row in inbox.batches if row["batch_id"] == batch.pk]
    assert (row["sheets_submitted"], row["sheets_expected"]) == (6, 7)
    [shown] = inbox.publicities
    assert shown["publicity"] == publicity and shown["pending"] == 2 and shown["deadline"].overdue


@pytest.mark.parametrize(
    ("username", "recommended"), [("jinan-city", 1), ("henan", 1), ("nation", 0)]
)
def test_other_authorities_count_only_their_batches(demo, authority_work, username, recommended):
    inbox = authority_inbox(user=demo[username])
    counts = {item.key: item.count for item in inbox.items}
    assert counts["recommended"] == recommended
    assert counts["objections"] == counts["passed"] == counts["ready"] == 0


def test_authority_dashboard_links_to_the_bulk_pages(client, demo, authority_work):
    batch, publicity = authority_work
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("dashboard")).content.decode()

    assert reverse("reviews:bulk-start-review", args=[batch.pk]) in body
    assert reverse("reviews:bulk-decide", args=[batch.pk]) in body
    assert reverse("reviews:publicity-manage", args=[publicity.pk]) in body
    assert "公示期已满，待发布名单" in body and "已提交 6 / 应提交 7 份" in body


# --- 征求意见部门、专家、申报单位 --------------------------------------------------------


def test_department_counts_what_was_sent_to_it(client, demo):
    batch = city_batch()
    apps = [app(batch, "county_review") for _ in range(3)]
    opinion(demo, apps[0], due=today() - timedelta(days=1))
    opinion(demo, apps[1], due=today() + timedelta(days=1))
    opinion(demo, apps[2], status="answered")
    opinion(demo, apps[0], slug="safety", due=today() - timedelta(days=3))

    inbox = department_inbox(user=demo["luoyang-env"])

    assert (inbox.item("opinions_pending").count, inbox.item("opinions_overdue").count) == (2, 1)
    assert inbox.item("opinions_pending").deadline.overdue
    client.force_login(demo["luoyang-env"])
    body = client.get(reverse("dashboard")).content.decode()
    assert body.count("已逾期") >= 2  # the nearest deadline and the overdue request's row


def test_expert_counts_only_their_own_assignments_to_score(client, demo):
    city = demo["luoyang-city"]
    expert, other = demo["luoyang-expert"], demo["luoyang-expert2"]
    deadline = today() + timedelta(days=2)
    batch = city_batch(scoring_deadline=deadline)
    later = city_batch(scoring_deadline=today() + timedelta(days=20))
    assign(app(batch, "expert_review"), expert, by=city)
    assign(app(later, "onsite_check"), expert, by=city)
    assign(app(batch, "expert_review"), expert, A.SUBMITTED, by=city)
    assign(app(batch, "expert_review"), expert, A.WITHDRAWN, by=city)
    assign(app(batch, "recommended"), expert, by=city)  # review not started: nothing to score
    assign(app(batch, "expert_review"), other, by=city)

    inbox = expert_inbox(user=expert)

    item = inbox.item("to_score")
    assert item.count == 2 and item.deadline.value == deadline and item.deadline.days_left == 2
    assert [(row["batch_id"], row["count"]) for row in inbox.batches] == [
        (batch.pk, 1),
        (later.pk, 1),
    ]
    assert expert_inbox(user=other).item("to_score").count == 1
    client.force_login(expert)
    body = client.get(reverse("dashboard")).content.decode()
    assert "待评分的评审任务" in body and "还剩 2 天" in body


def test_applicant_sees_drafts_returned_with_the_reason_and_deadlines(client, demo):
    applicant = demo["luoyang-enterprise"]
    organisation = applicant.organisation
    batch = city_batch()
    app(batch, "draft", organisation=organisation, unit_type="factory")
    returned = app(batch, "returned", organisation=organisation, unit_type="supply_chain")
    audit_record(
        subject=returned, actor=demo["luoyang-county"], action="return", comment="旧的理由"
    )
    audit_record(
        subject=returned,
        actor=demo["luoyang-county"],
        action="return",
        comment="请补充近三年能源审计报告",
    )
    app(batch, "draft", organisation=demo["luoyang-park"].organisation, unit_type="park")

    inbox = applicant_inbox(user=applicant)

    assert (inbox.item("draft").count, inbox.item("returned").count) == (1, 1)
    assert inbox.item("draft").deadline.value == batch.submission_deadline
    [row] = inbox.returned
    assert row["application"] == returned and row["reason"] == "请补充近三年能源审计报告"
    assert batch in [row["batch"] for row in inbox.batches]
    client.force_login(applicant)
    body = client.get(reverse("dashboard")).content.decode()
    assert "请补充近三年能源审计报告" in body and "旧的理由" not in body
    assert reverse("applications:application-edit", args=[returned.pk]) in body


def test_a_listed_unit_sees_its_annual_tables_to_file(client, demo):
    from dynamic_mgmt.models import FilingWindow
    from tests.dynamic_mgmt.dm_helpers import demo_listing

    applicant = demo["jinan-enterprise"]
    assert [item.key for item in applicant_inbox(user=applicant).items] == ["draft", "returned"]
    listing = demo_listing(demo, "jinan")
    city = Jurisdiction.objects.get(key="370100")
    deadline = today() + timedelta(days=2)
    FilingWindow.objects.create(
        authority=Organisation.objects.get(kind="bureau", jurisdiction=city),
        jurisdiction=city,
        level="city",
        year=today().year,
        opens_on=today() - timedelta(days=10),
        deadline=deadline,
        citation="济南 第十七条",
        created_by=demo["jinan-city"],
    )

    item = applicant_inbox(user=applicant).item("annual_tables")

    assert item.count == 1 and item.deadline.value == deadline and not item.urgent
    assert item.url == reverse("dynamic_mgmt:table-mine")
    client.force_login(applicant)
    body = client.get(reverse("dashboard")).content.decode()
    assert "待填报的动态管理表" in body and "还剩 2 天" in body
    assert reverse("dynamic_mgmt:table-detail", args=[listing.pk, today().year]) in body  # panel


# --- a fixed number of queries -----------------------------------------------------------------


def populate(demo, n: int, batch) -> None:
    """``n`` items of every kind of work, for every role's inbox."""
    city, expert = demo["luoyang-city"], demo["luoyang-expert"]
    organisation = demo["luoyang-enterprise"].organisation
    start = Application.objects.filter(organisation=organisation).count()
    for i in range(n):
        app(batch, "submitted")
        opinion(demo, app(batch, "county_review"), due=today() - timedelta(days=1))
        app(batch, "recommended")
        assign(app(batch, "expert_review"), expert, by=city)
        app(batch, "passed")
        returned = app(
            batch,
            "returned",
            organisation=organisation,
            unit_type="design_product",
            product_name=f"节能电机{start + i}",
        )
        audit_record(subject=returned, actor=demo["luoyang-county"], action="return", comment="补")


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "luoyang-city", "luoyang-env", "luoyang-expert", "luoyang-enterprise"],
)
def test_dashboard_inbox_queries_do_not_grow(client, demo, username, django_assert_max_num_queries):
    batch = city_batch(scoring_deadline=today() + timedelta(days=5))
    BatchQuotaFactory(batch=batch, county=node("410311"), quota=3)
    client.force_login(demo[username])
    populate(demo, 5, batch)
    with django_assert_max_num_queries(15) as small:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    populate(demo, 45, batch)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard"))
    inbox = response.context["todo"]
    assert inbox.total >= 50


def test_a_quota_shared_with_the_city_is_named(demo):
    province = Organisation.objects.get(kind="bureau", jurisdiction__key="410000")
    batch = city_batch(title="河南省级批次")
    batch.authority, batch.jurisdiction = province, province.jurisdiction
    batch.save()
    BatchQuotaFactory(batch=batch, county=node("410300"), quota=5)
    app(batch, "recommended", county="410307")  # 偃师区 uses a place of 洛阳市 too

    [row] = [r for r in county_inbox(user=demo["luoyang-county"]).batches if r["batch"] == batch]

    assert (row["place"], row["quota"], row["used"], row["left"]) == ("洛阳市", 5, 1, 4)
