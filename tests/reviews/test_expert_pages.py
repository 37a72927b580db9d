"""The assignment panel, the panel's actions by page and API, the expert's own task list and
conflict page, and who is refused each of them."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from applications.models import Application
from reviews.models import ConflictDeclaration, ExpertAssignment
from reviews.services.expert import assignment_create
from tests.factories import (
    ApplicationFactory,
    ExpertAssignmentFactory,
    OrganisationFactory,
    ScoreSheetFactory,
)
from tests.reviews.test_expert_pool import (
    luoyang_bureau,
    make_expert,
    member,
    recommended,
)

pytestmark = pytest.mark.django_db

A = ExpertAssignment.Status


@pytest.fixture
def city(demo):
    return demo["luoyang-city"]


@pytest.fixture
def application(demo):
    return recommended(demo, agency=demo["luoyang-agency"].organisation)


def pool(demo, *names, **overrides):
    return [member(luoyang_bureau(demo), make_expert(name), **overrides).expert for name in names]


def render_panel(user, application) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load expert_tags %}{% assignment_panel application %}")
    return template.render(Context({"request": request, "application": application}))


# --- the panel on the application page --------------------------------------------------------


def test_panel_lists_the_panel_eligible_experts_and_why_others_are_excluded(
    demo, city, application
):
    on_panel, free = pool(demo, "王在组", "赵可选")
    member(luoyang_bureau(demo), make_expert("钱同单位", organisation=application.organisation))
    member(luoyang_bureau(demo), make_expert("孙已移出"), is_active=False)
    assignment_create(application=application, expert=on_panel, actor=city)
    body = render_panel(city, application)
    assert 'id="expert-panel"' in body and "已分配 1 名专家，每项申报需 3 名" in body
    assert reverse("reviews:expert-assign-auto", args=[application.pk]) in body
    select = body[body.index('<select id="assign-expert"') : body.index("</select>")]
    assert "赵可选" in select
    assert "王在组" not in select and "钱同单位" not in select and "孙已移出" not in select
    excluded = body[body.index("<details>") :]
    assert "钱同单位" in excluded and "即申报单位" in excluded
    assert "孙已移出" in excluded and "已移出专家库" in excluded
    assert "王在组" not in excluded
    assert free  # offered above


def test_panel_shows_sheet_status_and_withdrawal_reasons(demo, city, application):
    scored, gone = pool(demo, "甲", "乙")
    assignment = assignment_create(application=application, expert=scored, actor=city)
    ScoreSheetFactory(assignment=assignment)
    withdrawn = assignment_create(application=application, expert=gone, actor=city)
    ExpertAssignment.objects.filter(pk=withdrawn.pk).update(
        status=A.WITHDRAWN, withdrawal_reason="出差"
    )
    body = render_panel(city, application)
    assert "填写中" in body and "出差" in body


@pytest.mark.parametrize(
    "username", ["luoyang-county", "jinan-city", "henan", "luoyang-expert", "luoyang-enterprise"]
)
def test_panel_is_shown_only_to_the_batch_authority(demo, application, username):
    pool(demo, "王评审")
    assert render_panel(demo[username], application).strip() == ""


def test_panel_without_assign_controls_once_full_or_decided(demo, city, application):
    pool(demo, "甲", "乙", "丙")
    from reviews.services.expert import assignment_auto

    assignment_auto(application=application, actor=city)
    body = render_panel(city, application)
    assert "assign-expert" not in body and "自动分配" not in body
    assert "撤回原因" in body
    Application.objects.filter(pk=application.pk).update(status="passed")
    application.refresh_from_db()
    assert "撤回原因" not in render_panel(city, application)


# --- the panel's actions by page --------------------------------------------------------------


def test_assign_auto_and_withdraw_pages(client, demo, city, application):
    chosen, *_rest = pool(demo, "甲", "乙", "丙")
    client.force_login(city)
    response = client.post(
        reverse("reviews:expert-assign", args=[application.pk]), {"expert": chosen.pk}
    )
    assert response.status_code == 302 and response.url.endswith("#expert-panel")
    response = client.post(reverse("reviews:expert-assign-auto", args=[application.pk]))
    assert ExpertAssignment.objects.filter(application=application, status=A.ASSIGNED).count() == 3
    assignment = ExpertAssignment.objects.get(expert=chosen)
    url = reverse("reviews:expert-withdraw", args=[application.pk, assignment.pk])
    client.post(url, {"reason": ""})
    assignment.refresh_from_db()
    assert assignment.status == A.ASSIGNED
    client.post(url, {"reason": "身体原因"})
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN


def test_auto_page_refusal_is_shown_and_nothing_assigned(client, demo, city, application):
    pool(demo, "甲")
    client.force_login(city)
    response = client.post(
        reverse("reviews:expert-assign-auto", args=[application.pk]), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("只有 1 名，还需 3 名" in m for m in messages)
    assert not ExpertAssignment.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("luoyang-county", 302),  # sees the application, refused by the service
        ("luoyang-enterprise", 302),  # the applicant itself, refused by the service
        ("jinan-city", 404),
        ("luoyang-expert", 404),  # not assigned to it
        ("luoyang-agency", 302),  # the agency named on it, refused by the service
    ],
    ids=["county", "applicant", "other-city", "expert", "agency"],
)
def test_assign_pages_refused_to_all_but_the_authority(
    client, demo, city, application, username, status
):
    expert, *_rest = pool(demo, "甲", "乙", "丙")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    client.force_login(demo[username])
    assign = client.post(
        reverse("reviews:expert-assign", args=[application.pk]), {"expert": _rest[0].pk}
    )
    auto = client.post(reverse("reviews:expert-assign-auto", args=[application.pk]))
    withdraw = client.post(
        reverse("reviews:expert-withdraw", args=[application.pk, assignment.pk]), {"reason": "x"}
    )
    assert [assign.status_code, auto.status_code, withdraw.status_code] == [status] * 3
    assert list(ExpertAssignment.objects.values_list("expert", "status")) == [
        (expert.pk, A.ASSIGNED)
    ]


# --- the panel's actions by API ---------------------------------------------------------------


def test_api_assigns_auto_assigns_and_withdraws(client, demo, city, application):
    chosen, *_rest = pool(demo, "甲", "乙", "丙")
    client.force_login(city)
    created = client.post(
        "/api/assignments/",
        {"application": application.pk, "expert": chosen.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "assigned" and created.json()["sheet_status"] == ""
    auto = client.post(
        "/api/assignments/auto/", {"application": application.pk}, content_type="application/json"
    )
    assert auto.status_code == 201 and len(auto.json()) == 2
    listed = client.get("/api/assignments/", {"application": application.pk}).json()
    assert listed["count"] == 3
    pk = created.json()["id"]
    refused = client.post(
        f"/api/assignments/{pk}/withdraw/", {"reason": ""}, content_type="application/json"
    )
    assert refused.status_code == 400
    withdrawn = client.post(
        f"/api/assignments/{pk}/withdraw/", {"reason": "回避"}, content_type="application/json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_api_refuses_a_conflicted_expert_with_the_reasons(client, demo, city, application):
    expert = make_expert("同单位", organisation=application.organisation)
    member(luoyang_bureau(demo), expert)
    client.force_login(city)
    response = client.post(
        "/api/assignments/",
        {"application": application.pk, "expert": expert.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "conflict_of_interest" and "即申报单位" in body["reasons"][0]


def test_api_auto_without_enough_experts_assigns_none(client, demo, city, application):
    pool(demo, "甲", "乙")
    client.force_login(city)
    response = client.post(
        "/api/assignments/auto/", {"application": application.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_enough_experts"
    assert "只有 2 名，还需 3 名" in response.json()["detail"]
    assert not ExpertAssignment.objects.exists()


@pytest.mark.parametrize(
    ("username", "create_status", "withdraw_status"),
    [
        ("luoyang-county", 403, 404),
        ("luoyang-enterprise", 403, 404),
        ("jinan-city", 404, 404),
        ("luoyang-expert", 404, 404),
    ],
    ids=["county", "applicant", "other-city", "expert"],
)
def test_api_refused_to_all_but_the_authority(
    client, demo, city, application, username, create_status, withdraw_status
):
    expert, other, _third = pool(demo, "甲", "乙", "丙")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    client.force_login(demo[username])
    create = client.post(
        "/api/assignments/",
        {"application": application.pk, "expert": other.pk},
        content_type="application/json",
    )
    auto = client.post(
        "/api/assignments/auto/", {"application": application.pk}, content_type="application/json"
    )
    withdraw = client.post(
        f"/api/assignments/{assignment.pk}/withdraw/",
        {"reason": "x"},
        content_type="application/json",
    )
    assert (create.status_code, auto.status_code) == (create_status, create_status)
    assert withdraw.status_code == withdraw_status
    assert client.get("/api/assignments/").json()["count"] == 0
    assert ExpertAssignment.objects.count() == 1


# --- the expert's own pages -------------------------------------------------------------------


def test_expert_sees_only_their_own_tasks_by_page_and_api(client, demo, city, application):
    mine, theirs, *_rest = pool(demo, "王本人", "李他人", "丙")
    own = assignment_create(application=application, expert=mine, actor=city)
    other_application = recommended(demo, organisation=demo["luoyang-park"].organisation)
    other = assignment_create(application=other_application, expert=theirs, actor=city)
    gone_application = recommended(demo, organisation=demo["luoyang-enterprise2"].organisation)
    gone = assignment_create(application=gone_application, expert=mine, actor=city)
    ExpertAssignment.objects.filter(pk=gone.pk).update(status=A.WITHDRAWN)

    client.force_login(mine)
    page = client.get(reverse("reviews:expert-task-list"))
    assert list(page.context["assignments"]) == [own]
    body = page.content.decode()
    assert application.organisation.name in body and application.batch.title in body
    assert demo["luoyang-park"].organisation.name not in body
    assert [row["id"] for row in client.get("/api/assignments/").json()["results"]] == [own.pk]
    assert client.get(f"/api/assignments/{own.pk}/").status_code == 200
    assert client.get(f"/api/assignments/{other.pk}/").status_code == 404
    assert client.get(f"/api/assignments/{gone.pk}/").status_code == 404


def test_expert_opens_only_the_applications_assigned_to_them(client, demo, city, application):
    """Needs ``assigned_applications_q`` in applications' application_list (see the report)."""
    mine, theirs, *_rest = pool(demo, "王本人", "李他人", "丙")
    assignment_create(application=application, expert=mine, actor=city)
    other_application = recommended(demo, organisation=demo["luoyang-park"].organisation)
    assignment_create(application=other_application, expert=theirs, actor=city)
    client.force_login(mine)
    detail = reverse("applications:application-detail", args=[application.pk])
    assert client.get(detail).status_code == 200
    other = reverse("applications:application-detail", args=[other_application.pk])
    assert client.get(other).status_code == 404
    assert client.get(f"/api/applications/{other_application.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-enterprise", "luoyang-county"])
def test_expert_pages_refused_to_other_roles(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("reviews:expert-task-list")).status_code == 403
    assert client.get(reverse("reviews:expert-conflicts")).status_code == 403


def test_task_list_filters_by_status_and_shows_the_sheet(client, demo, city, application):
    mine, *_rest = pool(demo, "王本人", "乙", "丙")
    open_task = assignment_create(application=application, expert=mine, actor=city)
    ScoreSheetFactory(assignment=open_task)
    done_application = recommended(demo, organisation=demo["luoyang-park"].organisation)
    done = assignment_create(application=done_application, expert=mine, actor=city)
    ExpertAssignment.objects.filter(pk=done.pk).update(status=A.SUBMITTED)
    client.force_login(mine)
    url = reverse("reviews:expert-task-list")
    assert list(client.get(url, {"status": "submitted"}).context["assignments"]) == [done]
    body = client.get(url, {"status": "assigned"}).content.decode()
    assert "填写中" in body and demo["luoyang-park"].organisation.name not in body


# --- declaring a conflict ---------------------------------------------------------------------


def test_conflict_page_offers_the_assigned_applicants_and_withdraws(
    client, demo, city, application
):
    mine, *_rest = pool(demo, "王本人", "乙", "丙")
    assignment = assignment_create(application=application, expert=mine, actor=city)
    client.force_login(mine)
    url = reverse("reviews:expert-conflicts")
    form = client.get(url).context["form"]
    offered = set(form.fields["organisation"].queryset)
    assert offered == {application.organisation, application.agency}
    response = client.post(
        url, {"organisation": application.organisation.pk, "reason": "近三年曾在该企业任职"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN
    body = client.get(url).content.decode()
    assert "近三年曾在该企业任职" in body
    assert application.organisation not in set(
        client.get(url).context["form"].fields["organisation"].queryset
    )


def test_conflict_page_finds_an_organisation_by_credit_code(client, demo):
    expert = demo["luoyang-expert"]
    target = demo["jinan-enterprise"].organisation
    client.force_login(expert)
    url = reverse("reviews:expert-conflicts")
    missing = client.post(url, {"credit_code": "91110000MA00000000", "reason": "亲属"})
    assert missing.status_code == 200 and "未找到" in missing.content.decode()
    both = client.post(
        url,
        {"organisation": "", "credit_code": target.credit_code.lower(), "reason": "亲属任高管"},
    )
    assert both.status_code == 302
    assert ConflictDeclaration.objects.get(expert=expert).organisation == target


def test_conflicts_api_lists_and_creates_only_ones_own(client, demo):
    expert, other = demo["luoyang-expert"], demo["jinan-expert"]
    client.force_login(expert)
    created = client.post(
        "/api/conflicts/",
        {"organisation": demo["luoyang-enterprise"].organisation.pk, "reason": "兼职"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    by_code = client.post(
        "/api/conflicts/",
        {"credit_code": demo["luoyang-agency"].organisation.credit_code, "reason": "曾任职"},
        content_type="application/json",
    )
    assert by_code.status_code == 201, by_code.json()
    assert client.get("/api/conflicts/").json()["count"] == 2
    client.force_login(other)
    assert client.get("/api/conflicts/").json()["count"] == 0
    client.force_login(demo["luoyang-enterprise"])
    refused = client.post(
        "/api/conflicts/",
        {"organisation": demo["luoyang-park"].organisation.pk, "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert client.get("/api/conflicts/").json()["count"] == 0


def test_keeper_reads_its_experts_conflicts(client, demo, city):
    (expert,) = pool(demo, "王本人")
    ConflictDeclaration.objects.create(
        expert=expert, organisation=demo["luoyang-park"].organisation, reason="亲属"
    )
    ConflictDeclaration.objects.create(
        expert=demo["jinan-expert"], organisation=demo["jinan-park"].organisation, reason="兼职"
    )
    client.force_login(city)
    rows = client.get("/api/conflicts/").json()["results"]
    assert [row["expert"] for row in rows] == [expert.pk]


# --- query bounds -----------------------------------------------------------------------------


def test_task_list_queries_do_not_grow(client, demo, city, django_assert_max_num_queries):
    (expert,) = pool(demo, "王本人")
    batch = recommended(demo).batch
    county = demo["luoyang-enterprise"].organisation.jurisdiction

    def assign(count):
        for _ in range(count):
            application = ApplicationFactory(
                batch=batch,
                organisation=OrganisationFactory(jurisdiction=county),
                status="expert_review",
            )
            assignment = ExpertAssignmentFactory(
                application=application, expert=expert, assigned_by=city
            )
            ScoreSheetFactory(assignment=assignment)

    assign(5)
    client.force_login(expert)
    with django_assert_max_num_queries(20) as page:
        assert client.get(reverse("reviews:expert-task-list")).status_code == 200
    with django_assert_max_num_queries(20) as api:
        assert client.get("/api/assignments/").status_code == 200
    assign(45)
    with django_assert_max_num_queries(len(page.captured_queries)):
        response = client.get(reverse("reviews:expert-task-list"))
    assert len(response.context["assignments"]) == 25
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert client.get("/api/assignments/").json()["count"] == 50


def test_panel_queries_do_not_grow_with_the_pool(demo, city, django_assert_max_num_queries):
    application = recommended(demo, agency=demo["luoyang-agency"].organisation)
    pool(demo, *[f"专家{n:02d}" for n in range(5)])
    with django_assert_max_num_queries(20) as small:
        render_panel(city, application)
    pool(demo, *[f"专家{n:02d}" for n in range(5, 50)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert render_panel(city, application).count("<option value=") == 51
