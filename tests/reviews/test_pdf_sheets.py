"""评分表 and 评分汇总表 as PDF: the expert's own sheet (or, once submitted, the batch authority's
copy) and the panel's combined score with the decision's article, for the authority only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from greenmfg.rules import threshold_finding
from reviews.scoring import BasicRequirement, Indicator, IndicatorGroup, ScoringTemplate
from reviews.scoring_templates import TEMPLATES
from reviews.services.sheet import sheet_open, sheet_save, sheet_submit
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name)
    reviewing_application,
    submit_scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]

# An interpolated item and a manual one in one group: 90 kgce/t between 基准值 100 and 引领值 80
# earns 25 of 50 points; abstaining on the other leaves 25 of 50 possible, so the group (and the
# sheet) scores 50.00.
MEASURED = ScoringTemplate(
    code="measured",
    version="1",
    title="测试：插值与弃权",
    unit_type="factory",
    standard="测试标准",
    basic_requirements=(BasicRequirement("basic.legal", "依法设立"),),
    groups=(
        IndicatorGroup(
            "energy",
            "能源利用",
            100,
            (
                Indicator(
                    "energy.unit",
                    "单位产品综合能耗",
                    50,
                    method="interpolated",
                    baseline=100,
                    leading=80,
                    unit="kgce/t",
                ),
                Indicator("energy.manage", "能源管理体系", 50),
            ),
        ),
    ),
)


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return "\n".join(page.extract_text() for page in pages)


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def sheet_url(assignment) -> str:
    return reverse("reviews:sheet-pdf", args=[assignment.pk])


def panel_url(application) -> str:
    return reverse("reviews:panel-pdf", args=[application.pk])


# --- The expert's sheet ---


def test_the_expert_prints_the_submitted_sheet(client, demo):
    application, assignments = boundary_application(demo, experts=2)
    [sheet, _other] = submit_scores(assignments, ["88", "70"])
    expert = assignments[0].expert
    client.force_login(expert)

    page = client.get(reverse("reviews:sheet-detail", args=[assignments[0].pk])).content.decode()
    assert sheet_url(assignments[0]) in page
    text = text_of(client.get(sheet_url(assignments[0])))

    body = flat(text)
    assert "绿色制造专家评分表" in body
    assert application.organisation.name in body and expert.display_name in body
    assert "依法设立" in body and "满足" in body and "综合得分" in body
    assert "88.00" in body and "70.00" not in body
    assert sheet.submitted_at.astimezone().strftime("%Y-%m-%d") in body
    assert "第 1 页" in text and application.batch.authority.name in body


def test_the_sheet_shows_the_measured_value_and_the_abstention(client, demo, monkeypatch):
    monkeypatch.setitem(TEMPLATES, MEASURED.key, MEASURED)
    _application, [assignment] = reviewing_application(
        demo, scoring_templates={"factory": MEASURED.key}
    )
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    sheet, problems = sheet_save(
        sheet=sheet,
        actor=expert,
        answers={"basic.legal": {"met": False, "note": "营业执照已过期"}},
        entries={
            "energy.unit": {"value": "90"},
            "energy.manage": {"abstain_reason": "不熟悉该行业的能源管理"},
        },
    )
    assert problems == []
    sheet_submit(sheet=sheet, actor=expert)
    client.force_login(expert)

    body = flat(text_of(client.get(sheet_url(assignment))))

    assert "单位产品综合能耗" in body and "90" in body and "kgce/t" in body
    assert "25.00" in body and "50.00" in body
    assert "弃权" in body and "不熟悉该行业的能源管理" in body
    assert "不满足" in body and "营业执照已过期" in body and "一票否决" in body


def test_a_draft_is_printed_for_its_expert_only(client, demo):
    _application, [assignment] = boundary_application(demo, experts=1)
    sheet = sheet_open(assignment=assignment, actor=assignment.expert)
    sheet_save(
        sheet=sheet,
        actor=assignment.expert,
        answers={"basic.legal": {"met": True}},
        entries={"all.score": {"points": "61"}},
    )

    client.force_login(assignment.expert)
    body = flat(text_of(client.get(sheet_url(assignment))))
    assert "草稿" in body and "61.00" in body
    client.force_login(demo["luoyang-city"])
    assert client.get(sheet_url(assignment)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other-expert", 404),
        ("luoyang-city", 200),
        ("jinan-city", 404),
        ("luoyang-county", 404),
        ("luoyang-enterprise", 404),
        ("anonymous", 302),
    ],
)
def test_a_submitted_sheet_is_for_its_expert_and_the_authority(client, demo, who, status):
    _application, assignments = boundary_application(demo, experts=2)
    submit_scores(assignments, ["88", "70"])
    if who == "other-expert":
        client.force_login(assignments[1].expert)
    elif who != "anonymous":
        client.force_login(demo[who])

    assert client.get(sheet_url(assignments[0])).status_code == status


def test_there_is_no_pdf_before_the_sheet_is_opened(client, demo):
    _application, [assignment] = boundary_application(demo, experts=1)
    client.force_login(assignment.expert)

    assert client.get(sheet_url(assignment)).status_code == 404


# --- The panel's combined sheet ---


def test_the_authority_prints_the_panels_combined_score(client, demo):
    application, assignments = boundary_application(demo, experts=3)
    submit_scores(assignments, ["88", "70", "91"], unmet_by=[assignments[1]])
    client.force_login(demo["luoyang-city"])

    page = client.get(
        reverse("applications:application-detail", args=[application.pk]), {"tab": "experts"}
    )
    assert panel_url(application) in page.content.decode()
    assert sheet_url(assignments[0]) in page.content.decode()
    text = text_of(client.get(panel_url(application)))

    body = flat(text)
    assert "绿色制造专家评分汇总表" in body and application.organisation.name in body
    for assignment in assignments:
        assert assignment.expert.display_name in body
    assert "88.00" in body and "70.00" in body and "91.00" in body
    assert "83.00" in body  # the mean, and the median 88.00, spread 21.00
    assert "21.00" in body and "算术平均" in body
    assert "未全部满足" in body and "依法设立" in body and "不符合通过条件" in body
    article = threshold_finding(application.batch.policy, None, True).article
    assert article and article in body
    assert "第 1 页" in text


def test_the_panel_sheet_before_every_sheet_is_in(client, demo):
    application, assignments = boundary_application(demo, experts=2)
    submit_scores(assignments[:1], ["88"])
    client.force_login(demo["luoyang-city"])

    body = flat(text_of(client.get(panel_url(application))))

    assert "1/2份" in body and "暂不能作出决定" in body and "尚有1位专家未提交评分" in body


@pytest.mark.parametrize(
    "who", ["expert", "jinan-city", "luoyang-county", "luoyang-enterprise", "anonymous"]
)
def test_the_panel_sheet_is_for_the_batch_authority_only(client, demo, who):
    application, assignments = boundary_application(demo, experts=1)
    submit_scores(assignments, ["88"])
    if who == "expert":
        client.force_login(assignments[0].expert)
    elif who != "anonymous":
        client.force_login(demo[who])

    response = client.get(panel_url(application))

    assert response.status_code == (302 if who == "anonymous" else 404)
