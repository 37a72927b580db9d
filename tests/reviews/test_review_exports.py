"""The review tables export to Excel: opinions, publicities, a proposed list, 推荐汇总表."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reviews.services.promotion import promote
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.publicity import another_enterprise, in_publicity, passed_application
from tests.reviews.test_promotion import city_listing, province_batch
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_opinion_requests_export_in_the_callers_scope(client, demo):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    other, other_county = in_county_review(
        demo, city="jinan", policy="jinan-2024", city_key="370100"
    )
    ready_to_recommend(demo, other, other_county)

    client.force_login(county)
    rows = rows_of(client.get(reverse("reviews:opinion-list") + "?export=xlsx"))
    assert rows[0][:4] == ["申报单位", "申报类型", "批次", "征求意见部门"]
    assert {row[0] for row in rows[1:]} == {application.organisation.name}
    assert len(rows) == 1 + 3

    client.force_login(demo["luoyang-env"])
    rows = rows_of(client.get(reverse("reviews:opinion-list") + "?export=xlsx&status=answered"))
    assert [row[3] for row in rows[1:]] == [demo["luoyang-env"].organisation.name]


@pytest.mark.usefixtures("boundary_template")
def test_publicities_and_a_proposed_list_export(client, demo):
    first = passed_application(demo, total="93")
    second = passed_application(demo, batch=first.batch, organisation=another_enterprise(demo))
    publicity, _applications = in_publicity(demo, applications=[first, second])
    client.force_login(demo["luoyang-city"])

    rows = rows_of(client.get(reverse("reviews:publicity-list") + "?export=xlsx"))
    assert rows[1][0] == publicity.title

    rows = rows_of(
        client.get(reverse("reviews:publicity-manage", args=[publicity.pk]) + "?export=xlsx")
    )
    assert rows[0][:2] == ["序号", "单位名称"]
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [
        (1, first.organisation.name, 93),
        (2, second.organisation.name, 88),
    ]

    client.force_login(demo["jinan-city"])
    response = client.get(reverse("reviews:publicity-manage", args=[publicity.pk]) + "?export=xlsx")
    assert response.status_code == 404


@pytest.mark.usefixtures("boundary_template")
def test_the_recommendation_summary_exports(client, demo):
    listing = city_listing(demo)
    batch = province_batch()
    promote(batch=batch, listing=listing, actor=demo["luoyang-city"])
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("reviews:recommendation-summary", args=[batch.pk]))
    assert listing.organisation.name in page.content.decode()
    rows = rows_of(
        client.get(reverse("reviews:recommendation-summary", args=[batch.pk]) + "?export=xlsx")
    )

    # 大连 附件1: the sheet carries the recommending region's title, then the columns.
    assert rows[0][0] == "洛阳市工业和信息化主管部门推荐汇总表（绿色工厂）"
    assert rows[2][:4] == ["序号", "地区", "单位名称", "统一社会信用代码"]
    [row] = rows[3:]
    assert (row[2], row[3]) == (listing.organisation.name, listing.organisation.credit_code)
    assert row[8] == f"市级（{listing.document_number}）"


@pytest.mark.usefixtures("boundary_template")
def test_the_officials_application_export_carries_the_scores(client, demo):
    from tests.reviews.test_sheets import boundary_application, submit_scores

    application, assignments = boundary_application(demo)
    submit_scores(assignments[:2], ["80", "90"])
    client.force_login(demo["luoyang-county"])

    rows = rows_of(client.get(reverse("applications:application-list") + "?export=xlsx"))

    header = rows[0]
    assert header[-2:] == ["已提交评分表", "专家评分（算术平均）"]
    [row] = [r for r in rows[1:] if r[0] == application.organisation.name]
    assert (row[-2], row[-1]) == (2, 85)
