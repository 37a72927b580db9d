"""推荐汇总表 (大连 附件1「工业和信息化主管部门推荐汇总表」) as PDF: landscape A4, titled with the
recommending region's name, grouped by unit type, the recommending city's own rows (the
authority of the batch sees every region's), for officials only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reviews.services.promotion import promote
from tests.reviews.test_promotion import city_listing, province_batch
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def url(batch) -> str:
    return reverse("reviews:recommendation-summary-pdf", args=[batch.pk])


def recommended(demo):
    listing = city_listing(demo)
    batch = province_batch()
    application = promote(batch=batch, listing=listing, actor=demo["luoyang-city"])
    return batch, application


def test_the_city_prints_its_recommendations(client, demo):
    batch, application = recommended(demo)
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("reviews:recommendation-summary", args=[batch.pk]))
    assert url(batch) in page.content.decode()
    reader = pdf_of(client.get(url(batch)))
    text = text_of(reader)

    body = flat(text)
    region = demo["luoyang-city"].organisation.jurisdiction.name
    assert f"{region}工业和信息化主管部门推荐汇总表" in body
    assert batch.title.replace(" ", "") in body
    assert application.get_unit_type_display() in body
    assert application.organisation.name in body
    assert application.organisation.credit_code in body
    assert "市工信〔2026〕1号" in body and "合计推荐1项" in body
    assert "第 1 页" in text
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape A4


def test_the_batch_authority_sees_every_region(client, demo):
    batch, application = recommended(demo)
    client.force_login(demo["henan"])

    body = flat(text_of(pdf_of(client.get(url(batch)))))

    assert batch.jurisdiction.name in body and application.organisation.name in body


@pytest.mark.parametrize("who", ["jinan-city", "luoyang-enterprise", "anonymous"])
def test_others_are_refused(client, demo, who):
    batch, _application = recommended(demo)
    if who != "anonymous":
        client.force_login(demo[who])

    response = client.get(url(batch))

    assert response.status_code == (302 if who == "anonymous" else 404)


def test_a_county_prints_its_own_region(client, demo):
    batch, application = recommended(demo)
    county = demo["luoyang-county"]
    client.force_login(county)

    body = flat(text_of(pdf_of(client.get(url(batch)))))

    assert county.organisation.jurisdiction.name in body
    assert application.organisation.name in body
