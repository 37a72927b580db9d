"""批量办理: each application goes through its own service (guards, lock, audit); a refusal is
reported per application and undoes nothing else. Pages: list, confirm, result; refused to the
wrong role and outside the jurisdiction.

The arrangements at the top are shared with test_bulk_api."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Application
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.models import Jurisdiction
from reviews.models import ConflictDeclaration, CountyReview, ExpertAssignment
from reviews.selectors.bulk import bulk_links
from reviews.services.bulk import (
    bulk_decide_fail,
    bulk_decide_pass,
    bulk_recommend,
    bulk_start_expert_review,
)
from tests.applications.helpers import city_batch
from tests.factories import ApplicationFactory, ExpertAssignmentFactory, OrganisationFactory
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_expert_pool import luoyang_bureau, make_expert, member, recommended
from tests.reviews.test_sheets import (
    boundary_template,  # noqa: F401 (a fixture, used by name)
    new_expert,
    submit_scores,
)

pytestmark = pytest.mark.django_db

S = Application.Status


# --- arrangements -----------------------------------------------------------------------------


def candidates(demo, *, quota=2):
    """Three applications of 洛龙区 in initial review of one batch, ready to recommend, ranked
    park 1, supply chain 2 and the factory unranked; the county's quota is ``quota``."""
    factory, county = in_county_review(demo, quota=quota)
    batch = factory.batch
    park, _ = in_county_review(demo, quota=quota, unit_type="park", batch=batch)
    chain, _ = in_county_review(demo, quota=quota, unit_type="supply_chain", batch=batch)
    for application, rank in ((factory, None), (park, 1), (chain, 2)):
        ready_to_recommend(demo, application, county)
        CountyReview.objects.filter(application=application).update(rank=rank)
    return SimpleNamespace(batch=batch, county=county, factory=factory, park=park, chain=chain)


def statuses(*applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def audited(application, action) -> bool:
    return audit_entries_for(subject=application).filter(action=action).exists()


def pool_of_three(demo):
    return [
        member(luoyang_bureau(demo), make_expert(name), field=field).expert
        for name, field in (("甲", "energy"), ("乙", "environment"), ("丙", "low_carbon"))
    ]


def scored(demo, batch, organisation, totals):
    """An application of ``batch`` in expert review whose experts submitted ``totals``."""
    application = ApplicationFactory(
        batch=batch,
        organisation=organisation,
        created_by=demo["luoyang-enterprise"],
        status=S.EXPERT_REVIEW,
    )
    assignments = [
        ExpertAssignmentFactory(
            application=application, expert=new_expert(), assigned_by=demo["luoyang-city"]
        )
        for _ in totals
    ]
    submit_scores(assignments, totals)
    return application


@pytest.fixture
def decisions(demo, boundary_template):  # noqa: F811 (the fixture above)
    """Two applications of one batch: one scored above the 80-point line, one below."""
    batch = city_batch(scoring_templates={"factory": boundary_template.key})
    good = scored(demo, batch, demo["luoyang-enterprise"].organisation, ["85", "90", "80"])
    poor = scored(demo, batch, demo["luoyang-enterprise2"].organisation, ["60", "70", "65"])
    return SimpleNamespace(batch=batch, good=good, poor=poor)


# --- 批量推荐 ----------------------------------------------------------------------------------


def test_bulk_recommend_in_rank_order_until_the_quota_is_used(demo):
    c = candidates(demo, quota=2)

    outcome = bulk_recommend(actor=c.county, applications=[c.factory.pk, c.chain.pk, c.park.pk])

    assert [(r.application_id, r.ok) for r in outcome.results] == [
        (c.park.pk, True),
        (c.chain.pk, True),
        (c.factory.pk, False),
    ]
    assert outcome.results[0].message == "成功"
    refusal = outcome.results[2]
    assert "推荐名额为 2 个，已推荐 2 个，名额已满" in refusal.message
    assert refusal.status == S.COUNTY_REVIEW
    assert statuses(c.park, c.chain, c.factory) == [S.RECOMMENDED, S.RECOMMENDED, S.COUNTY_REVIEW]
    assert audited(c.park, "recommend") and audited(c.chain, "recommend")
    assert not audited(c.factory, "recommend")
    assert (outcome.succeeded, outcome.failed) == (2, 1)


def test_a_guard_refusal_leaves_the_others_recommended(demo):
    c = candidates(demo, quota=3)
    CountyReview.objects.filter(application=c.chain).update(checklist={})

    outcome = bulk_recommend(actor=c.county, applications=[c.park.pk, c.chain.pk, c.factory.pk])

    by_id = {r.application_id: r for r in outcome.results}
    assert by_id[c.park.pk].ok and by_id[c.factory.pk].ok
    assert not by_id[c.chain.pk].ok and "初审核对清单尚有" in by_id[c.chain.pk].message
    assert by_id[c.chain.pk].reasons and by_id[c.chain.pk].reasons[0].startswith("初审核对清单")
    assert statuses(c.park, c.chain, c.factory) == [S.RECOMMENDED, S.COUNTY_REVIEW, S.RECOMMENDED]


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-enterprise", "luoyang-expert"])
def test_bulk_recommend_refused_to_other_roles(demo, username):
    c = candidates(demo)
    with pytest.raises(NotPermitted, match="县（区）工信部门"):
        bulk_recommend(actor=demo[username], applications=[c.park.pk])
    assert statuses(c.park) == [S.COUNTY_REVIEW]


def test_another_county_cannot_recommend_these(demo):
    c = candidates(demo)

    outcome = bulk_recommend(actor=demo["luoyang-county2"], applications=[c.park.pk, c.chain.pk])

    assert [r.ok for r in outcome.results] == [False, False]
    assert all("不在您的管辖范围内" in r.message for r in outcome.results)
    assert statuses(c.park, c.chain) == [S.COUNTY_REVIEW, S.COUNTY_REVIEW]


def test_ids_of_another_batch_are_refused_on_a_batch_page(demo):
    c = candidates(demo)
    other = city_batch()

    outcome = bulk_recommend(actor=c.county, applications=[c.park.pk], batch=other)

    assert not outcome.results[0].ok and "不属于批次" in outcome.results[0].message


def test_nothing_selected_is_refused(demo):
    with pytest.raises(ValidationError):
        bulk_recommend(actor=demo["luoyang-county"], applications=[])


# --- 批量开始专家评审并分配专家 ---------------------------------------------------------------


def test_bulk_start_fills_panels_and_starts_and_reports_the_rest(demo):
    city = demo["luoyang-city"]
    experts = pool_of_three(demo)
    batch = city_batch()
    ready = recommended(demo, batch=batch)
    short = recommended(demo, batch=batch, organisation=demo["luoyang-enterprise2"].organisation)
    for expert in experts[:2]:
        ConflictDeclaration.objects.create(
            expert=expert, organisation=short.organisation, reason="曾提供咨询服务"
        )
    started = recommended(
        demo, batch=batch, organisation=demo["luoyang-park"].organisation, status="expert_review"
    )

    outcome = bulk_start_expert_review(
        actor=city, applications=[ready.pk, short.pk, started.pk], batch=batch
    )

    first, second, third = outcome.results
    assert first.ok and first.status == S.EXPERT_REVIEW and "自动分配 3 名专家" in first.detail
    assert not second.ok and "只有 1 名，还需 3 名" in second.message
    assert not third.ok and "不能执行「开始专家评审」" in third.message
    assert statuses(ready, short, started) == [S.EXPERT_REVIEW, S.RECOMMENDED, S.EXPERT_REVIEW]
    assert ExpertAssignment.objects.filter(application=ready).count() == 3
    assert not ExpertAssignment.objects.filter(application=short).exists()
    assert audited(ready, "expert_assign") and audited(ready, "start_expert_review")
    assert not audited(short, "start_expert_review")


def test_a_complete_panel_is_kept_and_review_started(demo):
    city = demo["luoyang-city"]
    experts = pool_of_three(demo)
    application = recommended(demo)
    for expert in experts:
        ExpertAssignmentFactory(application=application, expert=expert, assigned_by=city)

    outcome = bulk_start_expert_review(actor=city, applications=[application.pk])

    assert outcome.results[0].ok and outcome.results[0].detail == ""
    assert ExpertAssignment.objects.filter(application=application).count() == 3


@pytest.mark.parametrize(
    ("username", "refusal"),
    [("luoyang-county", NotPermitted), ("luoyang-expert", NotPermitted)],
)
def test_bulk_start_refused_to_other_roles(demo, username, refusal):
    pool_of_three(demo)
    application = recommended(demo)
    with pytest.raises(refusal):
        bulk_start_expert_review(actor=demo[username], applications=[application.pk])
    assert statuses(application) == [S.RECOMMENDED]


@pytest.mark.parametrize(
    ("username", "message"),
    [("jinan-city", "不在您的管辖范围内"), ("henan", "由批次组织单位")],
)
def test_bulk_start_refused_outside_the_authority(demo, username, message):
    pool_of_three(demo)
    application = recommended(demo)

    outcome = bulk_start_expert_review(actor=demo[username], applications=[application.pk])

    assert not outcome.results[0].ok and message in outcome.results[0].message
    assert statuses(application) == [S.RECOMMENDED]
    assert not ExpertAssignment.objects.exists()


# --- 批量决定 / 批量不通过 ---------------------------------------------------------------------


def test_bulk_decide_passes_what_the_rules_allow_and_says_why_not(demo, decisions):
    c = decisions

    outcome = bulk_decide_pass(actor=demo["luoyang-city"], applications=[c.good.pk, c.poor.pk])

    assert [r.ok for r in outcome.results] == [True, False]
    assert outcome.results[1].reasons == ["平均得分 65.00 分，未达到 80 分（含）"]
    assert statuses(c.good, c.poor) == [S.PASSED, S.EXPERT_REVIEW]
    assert audited(c.good, "decide_pass") and not audited(c.poor, "decide_pass")


def test_bulk_fail_needs_a_reason_then_fails_each(demo, decisions):
    c = decisions
    city = demo["luoyang-city"]
    with pytest.raises(ValidationError) as refusal:
        bulk_decide_fail(actor=city, applications=[c.good.pk, c.poor.pk], comment="  ")
    assert "comment" in refusal.value.message_dict
    assert statuses(c.good, c.poor) == [S.EXPERT_REVIEW, S.EXPERT_REVIEW]

    outcome = bulk_decide_fail(
        actor=city, applications=[c.poor.pk, c.good.pk], comment="综合评审未达到入选要求"
    )

    assert [r.ok for r in outcome.results] == [True, True]
    assert statuses(c.good, c.poor) == [S.FAILED, S.FAILED]
    assert audited(c.good, "decide_fail")
    entry = audit_entries_for(subject=c.poor).get(action="decide_fail")
    assert entry.comment == "综合评审未达到入选要求" and entry.actor == city


def test_bulk_decide_refused_to_a_county_and_another_city(demo, decisions):
    c = decisions
    with pytest.raises(NotPermitted):
        bulk_decide_pass(actor=demo["luoyang-county"], applications=[c.good.pk])
    outcome = bulk_decide_pass(actor=demo["jinan-city"], applications=[c.good.pk])
    assert not outcome.results[0].ok
    assert statuses(c.good) == [S.EXPERT_REVIEW]


# --- pages ------------------------------------------------------------------------------------


def test_recommend_page_lists_in_rank_order_confirms_then_acts(client, demo):
    c = candidates(demo, quota=2)
    url = reverse("reviews:bulk-recommend", args=[c.batch.pk])
    client.force_login(c.county)

    body = client.get(url).content.decode()
    assert body.index(f'value="{c.park.pk}"') < body.index(f'value="{c.chain.pk}"')
    assert body.index(f'value="{c.chain.pk}"') < body.index(f'value="{c.factory.pk}"')
    assert "剩余 2 个" in body and "bulk-select-all" in body

    selected = [c.factory.pk, c.park.pk, c.chain.pk]
    data = {"applications": selected, "action": "recommend", "comment": "", "step": "confirm"}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and "确认办理" in confirm.content.decode()
    assert statuses(c.factory, c.park, c.chain) == [S.COUNTY_REVIEW] * 3  # nothing done yet

    result = client.post(url, {**data, "step": "execute"})
    body = result.content.decode()
    assert result.status_code == 200 and "办理结果" in body
    assert body.count("成功") >= 2 and "名额已满" in body
    assert statuses(c.park, c.chain, c.factory) == [S.RECOMMENDED, S.RECOMMENDED, S.COUNTY_REVIEW]


def test_page_without_a_selection_shows_the_error(client, demo):
    c = candidates(demo)
    client.force_login(c.county)
    response = client.post(
        reverse("reviews:bulk-recommend", args=[c.batch.pk]),
        {"action": "recommend", "step": "confirm"},
    )
    assert response.status_code == 400 and "请至少选择一项申报" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [("luoyang-city", 403), ("luoyang-expert", 404), ("jinan-county", 404)],
)
def test_recommend_page_refused_to_the_wrong_role_or_place(client, demo, username, status):
    c = candidates(demo)
    client.force_login(demo[username])
    url = reverse("reviews:bulk-recommend", args=[c.batch.pk])
    assert client.get(url).status_code == status
    data = {"applications": [c.park.pk], "action": "recommend", "step": "execute"}
    assert client.post(url, data).status_code == status
    assert statuses(c.park) == [S.COUNTY_REVIEW]


def test_another_county_posting_these_ids_is_refused_per_application(client, demo):
    c = candidates(demo)
    client.force_login(demo["luoyang-county2"])
    url = reverse("reviews:bulk-recommend", args=[c.batch.pk])
    assert f'value="{c.park.pk}"' not in client.get(url).content.decode()

    response = client.post(
        url, {"applications": [c.park.pk], "action": "recommend", "step": "execute"}
    )

    assert response.status_code == 200 and "不在您的管辖范围内" in response.content.decode()
    assert statuses(c.park) == [S.COUNTY_REVIEW]


def test_start_review_page_by_the_authority(client, demo):
    pool_of_three(demo)
    batch = city_batch()
    application = recommended(demo, batch=batch)
    url = reverse("reviews:bulk-start-review", args=[batch.pk])
    client.force_login(demo["luoyang-city"])
    assert "将自动补足" in client.get(url).content.decode()

    data = {"applications": [application.pk], "action": "start_expert_review", "step": "execute"}
    body = client.post(url, data).content.decode()

    assert "成功" in body and "自动分配 3 名专家" in body
    assert statuses(application) == [S.EXPERT_REVIEW]


@pytest.mark.parametrize(
    ("username", "status"),
    [("luoyang-county", 403), ("henan", 403), ("jinan-city", 404), ("luoyang-enterprise", 403)],
)
def test_authority_pages_refused_to_others(client, demo, decisions, username, status):
    c = decisions
    client.force_login(demo[username])
    for name in ("reviews:bulk-start-review", "reviews:bulk-decide"):
        assert client.get(reverse(name, args=[c.batch.pk])).status_code == status
    data = {"applications": [c.good.pk], "action": "decide_pass", "step": "execute"}
    assert (
        client.post(reverse("reviews:bulk-decide", args=[c.batch.pk]), data).status_code == status
    )
    assert statuses(c.good) == [S.EXPERT_REVIEW]


def test_decide_page_shows_the_preview_and_requires_a_reason_to_fail(client, demo, decisions):
    c = decisions
    url = reverse("reviews:bulk-decide", args=[c.batch.pk])
    client.force_login(demo["luoyang-city"])
    body = client.get(url).content.decode()
    assert "可通过" in body and "未达到 80 分" in body

    data = {"applications": [c.good.pk, c.poor.pk], "action": "decide_fail", "step": "confirm"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "须填写理由" in refused.content.decode()

    data = {"applications": [c.good.pk, c.poor.pk], "action": "decide_pass", "step": "execute"}
    body = client.post(url, data).content.decode()
    assert "未达到 80 分" in body
    assert statuses(c.good, c.poor) == [S.PASSED, S.EXPERT_REVIEW]


# --- a fixed number of queries for the listings -----------------------------------------------


def in_review_rows(demo, batch, n):
    county = Jurisdiction.objects.get(key="410311")
    for i in range(n):
        application = ApplicationFactory(
            batch=batch,
            organisation=OrganisationFactory(jurisdiction=county),
            created_by=demo["luoyang-enterprise"],
            status=S.COUNTY_REVIEW,
        )
        CountyReview.objects.create(application=application, rank=i if i % 2 else None)


def test_recommend_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    batch = city_batch()
    client.force_login(demo["luoyang-county"])
    url = reverse("reviews:bulk-recommend", args=[batch.pk])
    in_review_rows(demo, batch, 5)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    in_review_rows(demo, batch, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 50


def test_authority_pages_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    batch = city_batch()
    city = demo["luoyang-city"]
    client.force_login(city)

    def arrange(n):
        for _ in range(n):
            organisation = OrganisationFactory(jurisdiction=Jurisdiction.objects.get(key="410311"))
            for status, unit_type in ((S.RECOMMENDED, "factory"), (S.EXPERT_REVIEW, "park")):
                application = ApplicationFactory(
                    batch=batch,
                    organisation=organisation,
                    created_by=city,
                    status=status,
                    unit_type=unit_type,
                )
                ExpertAssignmentFactory(
                    application=application, expert=new_expert(), assigned_by=city
                )

    arrange(5)
    urls = [
        reverse(name, args=[batch.pk])
        for name in ("reviews:bulk-start-review", "reviews:bulk-decide")
    ]
    small = {}
    for url in urls:
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        small[url] = len(captured.captured_queries)
    arrange(45)
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
        assert len(response.context["rows"]) == 50


@pytest.mark.parametrize(
    ("username", "names"),
    [
        ("luoyang-county", ["reviews:bulk-recommend"]),
        ("luoyang-city", ["reviews:bulk-start-review", "reviews:bulk-decide"]),
        ("henan", []),
        ("luoyang-expert", []),
    ],
)
def test_bulk_links_of_a_batch_follow_the_role(demo, username, names):
    batch = city_batch()
    links = bulk_links(user=demo[username], batch=batch)
    assert [url for _label, url in links] == [reverse(name, args=[batch.pk]) for name in names]
