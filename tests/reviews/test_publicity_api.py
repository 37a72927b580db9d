"""公示 and 推荐至上级 through the API, with the permissions of the pages."""

import pytest
from django.core.cache import cache

from registry.models import Listing
from reviews.models import Objection
from tests.problems import field_errors
from tests.reviews.publicity import OBJECTOR, end_period, in_publicity, passed_application
from tests.reviews.test_promotion import city_listing, province_batch
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the public endpoints are rate-limited per address
    yield
    cache.clear()


def test_the_city_runs_a_publicity_through_the_api(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-city"])

    created = client.post(
        "/api/publicities/",
        {"batch": application.batch_id, "title": "公示", "contact": "0379-1"},
        content_type="application/json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert [item["application"] for item in body["items"]] == [application.pk]
    assert body["publish_refusals"][0].startswith("公示期至")
    early = client.post(
        f"/api/publicities/{body['id']}/publish/",
        {"document_number": "洛工信〔2026〕88号"},
        content_type="application/json",
    )
    assert early.status_code == 400 and "公示期满后" in str(early.json())


def test_a_county_cannot_start_the_publicity(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-county"])

    response = client.post(
        "/api/publicities/",
        {"batch": application.batch_id, "title": "公示", "contact": "0379-1"},
        content_type="application/json",
    )

    assert response.status_code == 403


def test_the_public_reads_and_objects_without_an_account(client, demo):
    publicity, [application] = in_publicity(demo)

    listing = client.get("/api/public/publicities/").json()
    detail = client.get(f"/api/public/publicities/{publicity.pk}/").json()
    assert listing["results"][0]["id"] == publicity.pk
    [item] = detail["items"]
    assert item["organisation_name"] == application.organisation.name
    assert "score" not in item and "objections" not in item

    refused = client.post(
        f"/api/public/publicities/{publicity.pk}/objections/",
        {**OBJECTOR, "item": item["id"], "organisation_or_id": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "organisation_or_id" in field_errors(refused)

    lodged = client.post(
        f"/api/public/publicities/{publicity.pk}/objections/",
        {**OBJECTOR, "item": item["id"]},
        content_type="application/json",
    )
    assert lodged.status_code == 201, lodged.json()
    code = lodged.json()["tracking_code"]
    assert client.get(f"/api/public/objections/{code}/").json()["status"] == "pending"
    assert client.get("/api/public/objections/NOSUCH/").status_code == 404
    assert client.get("/api/objections/").status_code in (401, 403)


def test_the_authority_answers_and_publishes_through_the_api(client, demo):
    publicity, _applications = in_publicity(demo)
    from reviews.services.publicity import objection_lodge

    objection = objection_lodge(item=publicity.items.get(), **OBJECTOR)
    client.force_login(demo["jinan-city"])
    assert (
        client.post(
            f"/api/objections/{objection.pk}/decide/", {}, content_type="application/json"
        ).status_code
        == 404
    )

    client.force_login(demo["luoyang-city"])
    assert [row["id"] for row in client.get("/api/objections/").json()["results"]] == [objection.pk]
    decided = client.post(
        f"/api/objections/{objection.pk}/decide/",
        {"upheld": False, "response": "不属实"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    end_period(publicity)
    published = client.post(
        f"/api/publicities/{publicity.pk}/publish/",
        {"document_number": "洛工信〔2026〕88号"},
        content_type="application/json",
    )
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert Listing.objects.get().document_number == "洛工信〔2026〕88号"
    assert Objection.objects.get().status == "dismissed"


def test_promotion_through_the_api(client, demo):
    listing = city_listing(demo)
    batch = province_batch()
    client.force_login(demo["luoyang-city"])

    candidates = client.get(f"/api/promotions/candidates/?batch={batch.pk}").json()["results"]
    [candidate] = candidates
    assert candidate["eligible"] and candidate["findings"][0]["article"] == "第二十二条"

    created = client.post(
        "/api/promotions/",
        {"batch": batch.pk, "listing": listing.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    summary = client.get(f"/api/promotions/?batch={batch.pk}").json()["results"]
    assert [row["id"] for row in summary] == [created.json()["id"]]

    client.force_login(demo["henan"])
    assert [
        row["id"] for row in client.get(f"/api/promotions/?batch={batch.pk}").json()["results"]
    ] == [created.json()["id"]]
    assert client.get(f"/api/promotions/candidates/?batch={batch.pk}").status_code == 403

    client.force_login(demo["luoyang-city"])
    withdrawn = client.post(
        f"/api/promotions/{created.json()['id']}/withdraw/",
        {"comment": "补充材料"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "not_recommended"


def test_promotion_refusals_through_the_api(client, demo):
    listing = city_listing(demo)
    batch = province_batch()
    client.force_login(demo["luoyang-county"])
    assert client.get(f"/api/promotions/candidates/?batch={batch.pk}").status_code == 403
    assert client.get("/api/promotions/candidates/").status_code == 400

    client.force_login(demo["jinan-city"])
    response = client.post(
        "/api/promotions/",
        {"batch": batch.pk, "listing": listing.pk},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
