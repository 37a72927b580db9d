"""The expert's sheet page and API, the officials' score panel and endpoint, and query bounds."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from reviews.models import ScoreSheet
from reviews.selectors.sheet import sheet_template
from reviews.services.sheet import sheet_open, sheet_save
from tests.applications.helpers import county
from tests.factories import ApplicationFactory, ExpertAssignmentFactory, OrganisationFactory
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name)
    full_marks,
    new_expert,
    reviewing_application,
    submit_scores,
)

pytestmark = pytest.mark.django_db


def sheet_url(assignment):
    return reverse("reviews:sheet-detail", args=[assignment.pk])


def manual_items(template):
    return [i for i in template.indicators if not i.is_interpolated]


# --- The expert's page ---


def test_sheet_page_shows_the_template_grouped_with_maxima(client, demo):
    _application, [assignment] = reviewing_application(demo)
    client.force_login(assignment.expert)

    response = client.get(sheet_url(assignment))

    page = response.content.decode()
    assert response.status_code == 200
    assert "绿色工厂评价（GB/T 36132-2025）" in page and "能源低碳化" in page
    assert "基准值 120 得 0 分" in page and "满分 6 分" in page
    assert "data-confirm" in page and "sheet_autosave.js" in page
    assert not ScoreSheet.objects.exists()  # looking changes nothing


def test_sheet_page_refuses_an_over_max_score_and_keeps_the_rest(client, demo):
    _application, [assignment] = reviewing_application(demo)
    client.force_login(assignment.expert)
    template = sheet_template(sheet_open(assignment=assignment, actor=assignment.expert))
    first, second = manual_items(template)[:2]

    response = client.post(
        sheet_url(assignment),
        {
            f"points__{first.code}": str(first.max_points + 4),
            f"points__{second.code}": "1",
            "basic__basic.established": "met",
            "action": "save",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"「{first.name}」得分 {first.max_points + 4} 超过满分 {first.max_points}" in page
    assert "已保存填写正确的内容；以下 1 项需要更正" in page
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert first.code not in sheet.entries
    assert sheet.entries[second.code] == {"points": "1"}
    assert sheet.answers["basic.established"]["met"] is True


def test_autosave_answers_with_points_total_and_problems(client, demo):
    _application, [assignment] = reviewing_application(demo)
    client.force_login(assignment.expert)
    template = sheet_template(sheet_open(assignment=assignment, actor=assignment.expert))
    first = manual_items(template)[0]
    item = next(i for i in template.indicators if i.is_interpolated)

    response = client.post(
        sheet_url(assignment),
        {
            f"points__{first.code}": str(first.max_points),
            f"value__{item.code}": str(item.leading),
            f"abstain__{manual_items(template)[1].code}": "on",
        },
        headers={"X-Autosave": "1"},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["points"][item.code] == f"{item.max_points:.2f}"
    assert body["total"] is not None and body["remaining"] > 0
    assert [p["message"] for p in body["problems"]] == [
        f"「{manual_items(template)[1].name}」弃权须填写理由"
    ]
    assert body["problems"][0]["field"] == f"reason__{manual_items(template)[1].code}"
    # The header said 未开始 before the first save; the page sets it from these.
    assert (body["status"], body["status_label"]) == ("draft", "填写中")


def test_submitting_from_the_page_makes_the_sheet_read_only(client, demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    client.force_login(expert)
    sheet = sheet_open(assignment=assignment, actor=expert)
    answers, entries = full_marks(sheet_template(sheet))
    sheet_save(sheet=sheet, actor=expert, answers=answers, entries=entries)
    form = client.get(sheet_url(assignment)).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}

    response = client.post(sheet_url(assignment), {**data, "action": "submit"}, follow=True)

    page = response.content.decode()
    assert "评分已提交" in page and "100.00" in page
    assert '<fieldset class="sheet" disabled>' in page
    assert "data-confirm" not in page
    assert ScoreSheet.objects.get(pk=sheet.pk).status == "submitted"
    again = client.post(sheet_url(assignment), {**data, "action": "submit"}, follow=True)
    assert "不能再修改或重复提交" in again.content.decode()


def test_incomplete_sheet_submitted_from_the_page_lists_what_is_missing(client, demo):
    _application, [assignment] = reviewing_application(demo)
    client.force_login(assignment.expert)

    response = client.post(sheet_url(assignment), {"action": "submit"})

    assert response.status_code == 400
    assert "暂不能提交，原因如下" in response.content.decode()
    assert "缺少基本要求" in response.content.decode()


@pytest.mark.usefixtures("boundary_template")
@pytest.mark.parametrize("see_others", [True, False], ids=["sees-others", "does-not"])
def test_experts_see_others_totals_only_when_the_batch_allows(client, demo, see_others):
    _application, assignments = boundary_application(demo, experts_see_others=see_others)
    submit_scores(assignments, ["81", "82", "83"])
    client.force_login(assignments[0].expert)

    page = client.get(sheet_url(assignments[0])).content.decode()

    assert ("专家1" in page and "82.00" in page) is see_others
    assert assignments[1].expert.display_name not in page


@pytest.mark.parametrize(
    "username",
    ["jinan-expert", "luoyang-county", "luoyang-city", "luoyang-enterprise"],
    ids=["another-expert", "county", "authority", "applicant"],
)
def test_the_sheet_page_is_the_assigned_experts_only(client, demo, username):
    _application, [assignment] = reviewing_application(demo)
    client.force_login(demo[username])

    assert client.get(sheet_url(assignment)).status_code == 404
    assert client.post(sheet_url(assignment), {"action": "save"}).status_code == 404
    assert not ScoreSheet.objects.exists()


# --- The API ---


def test_expert_fills_in_and_submits_through_the_api(client, demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    client.force_login(expert)

    opened = client.post(
        "/api/sheets/", {"assignment": assignment.pk}, content_type="application/json"
    )
    assert opened.status_code == 201, opened.json()
    sheet_id = opened.json()["id"]
    template = sheet_template(ScoreSheet.objects.get(pk=sheet_id))
    answers, entries = full_marks(template)
    first = manual_items(template)[0]

    refused = client.patch(
        f"/api/sheets/{sheet_id}/",
        {"answers": answers, "entries": {**entries, first.code: {"points": "99"}}},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "超过满分" in refused.json()["detail"]
    assert ScoreSheet.objects.get(pk=sheet_id).entries == {}  # strict: nothing saved

    saved = client.patch(
        f"/api/sheets/{sheet_id}/",
        {"answers": answers, "entries": entries, "comment": "好"},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["running_total"] == "100.00"
    submitted = client.post(f"/api/sheets/{sheet_id}/submit/")
    assert submitted.status_code == 200 and submitted.json()["total"] == "100.00"
    assert client.post(f"/api/sheets/{sheet_id}/submit/").status_code == 400
    edit = client.patch(
        f"/api/sheets/{sheet_id}/", {"comment": "改"}, content_type="application/json"
    )
    assert edit.status_code == 400


@pytest.mark.parametrize(
    ("username", "listed", "retrieve", "patch"),
    [
        ("jinan-expert", False, 404, 404),
        ("luoyang-city", True, 200, 403),
        ("jinan-city", False, 404, 404),
        ("luoyang-county", False, 404, 404),
        ("luoyang-enterprise", False, 404, 404),
    ],
    ids=["another-expert", "authority", "other-city", "county", "applicant"],
)
def test_sheets_api_visibility(client, demo, username, listed, retrieve, patch):
    _application, [assignment] = reviewing_application(demo)
    sheet = sheet_open(assignment=assignment, actor=assignment.expert)
    client.force_login(demo[username])

    rows = client.get("/api/sheets/").json()["results"]

    assert ([row["id"] for row in rows] == [sheet.pk]) is listed
    assert client.get(f"/api/sheets/{sheet.pk}/").status_code == retrieve
    response = client.patch(
        f"/api/sheets/{sheet.pk}/", {"comment": "x"}, content_type="application/json"
    )
    assert response.status_code == patch
    assert client.post(f"/api/sheets/{sheet.pk}/submit/").status_code == patch
    opened = client.post(
        "/api/sheets/", {"assignment": assignment.pk}, content_type="application/json"
    )
    assert opened.status_code == 404


@pytest.mark.usefixtures("boundary_template")
@pytest.mark.parametrize(
    ("username", "status_code", "count"),
    [
        ("luoyang-city", 200, 1),
        ("luoyang-county", 200, 0),
        ("jinan-city", 200, 0),
        ("luoyang-expert", 403, None),
        ("luoyang-enterprise", 403, None),
    ],
    ids=["authority", "county", "other-city", "expert", "applicant"],
)
def test_application_scores_endpoint(client, demo, username, status_code, count):
    application, assignments = boundary_application(demo, aggregation="trimmed_mean")
    submit_scores(assignments, ["70", "85", "90"])
    client.force_login(demo[username])

    response = client.get("/api/application-scores/")

    assert response.status_code == status_code
    if count is not None:
        assert response.json()["count"] == count
    if count:
        row = client.get(f"/api/application-scores/{application.pk}/").json()
        assert row["aggregate"]["score"] == "85.00"
        assert row["aggregate"]["method_used"] == "trimmed_mean"
        assert (row["assigned"], row["submitted"]) == (3, 3)
        assert row["decision"] == {
            "passed": True,
            "decidable": True,
            "reasons": [
                "基本要求全部满足",
                "去掉最高分和最低分后的平均得分 85.00 分，达到 80 分（含）",
            ],
        }


# --- The officials' panel and decision page ---


def render_panel(application, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load sheet_tags %}{% score_summary_panel application %}")
    return template.render(Context({"request": request, "application": application}))


@pytest.mark.usefixtures("boundary_template")
def test_panel_shows_the_authority_the_scores_and_the_decision(demo):
    application, assignments = boundary_application(demo)
    submit_scores(assignments[:2], ["78", "84"], unmet_by=[assignments[1]])

    html = render_panel(application, demo["luoyang-city"])

    assert "专家评分与评审决定" in html
    assert "2 / 3 份" in html and "81.00" in html  # mean of what is in
    assert assignments[0].expert.display_name in html
    assert "未全部满足（一票否决）" in html and "依法设立" in html
    assert "尚有 1 位专家未提交评分" in html
    assert "录入现场核查结果" in html
    assert "第十四条" in html  # 洛阳's 80-point line is cited beside the preview


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-expert", "jinan-city"])
def test_panel_is_empty_for_anyone_but_the_authority(demo, username):
    application, _assignments = reviewing_application(demo)

    assert render_panel(application, demo[username]).strip() == ""


@pytest.mark.parametrize(
    ("username", "status_code"),
    [("luoyang-city", 200), ("luoyang-county", 404), ("jinan-city", 404), ("luoyang-expert", 403)],
    ids=["authority", "county", "other-city", "expert"],
)
def test_decision_page(client, demo, username, status_code):
    application, _assignments = reviewing_application(demo)
    client.force_login(demo[username])

    response = client.get(reverse("reviews:decision-detail", args=[application.pk]))

    assert response.status_code == status_code
    if status_code == 200:
        assert "尚有 1 位专家未提交评分" in response.content.decode()


# --- Query bounds ---


def more_assignments(demo, expert, batch, count):
    """``count`` more applications of the batch, each assigned to ``expert`` with a draft sheet."""
    place = county("410311")
    for _ in range(count):
        organisation = OrganisationFactory(jurisdiction=place)
        application = ApplicationFactory(
            batch=batch, organisation=organisation, status="expert_review"
        )
        assignment = ExpertAssignmentFactory(
            application=application, expert=expert, assigned_by=demo["luoyang-city"]
        )
        sheet_open(assignment=assignment, actor=expert)


def test_experts_sheet_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    more_assignments(demo, expert, application.batch, 4)
    client.force_login(expert)
    with django_assert_max_num_queries(20) as page:
        assert len(client.get(reverse("reviews:sheet-list")).context["assignments"]) == 5
    with django_assert_max_num_queries(20) as api:
        assert client.get("/api/sheets/").json()["count"] == 4

    more_assignments(demo, expert, application.batch, 45)

    with django_assert_max_num_queries(len(page.captured_queries)):
        assert len(client.get(reverse("reviews:sheet-list")).context["assignments"]) == 25
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert client.get("/api/sheets/").json()["count"] == 49


@pytest.mark.usefixtures("boundary_template")
def test_officials_score_endpoint_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    application, assignments = boundary_application(demo)
    submit_scores(assignments, ["80", "85", "90"])
    for _ in range(4):
        other, others = boundary_application(demo)
        submit_scores(others, ["70", "75", "95"])
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as api:
        assert client.get("/api/application-scores/").json()["count"] == 5

    for _ in range(45):
        extra_expert = new_expert()
        place = county("410311")
        other = ApplicationFactory(
            batch=application.batch,
            organisation=OrganisationFactory(jurisdiction=place),
            status="expert_review",
        )
        assignment = ExpertAssignmentFactory(
            application=other, expert=extra_expert, assigned_by=demo["luoyang-city"]
        )
        submit_scores([assignment], ["88"])

    with django_assert_max_num_queries(len(api.captured_queries)):
        assert client.get("/api/application-scores/").json()["count"] == 50
