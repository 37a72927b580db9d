import pytest

from reviews.models import OpinionRequest
from tests.reviews.helpers import in_county_review, required_departments

pytestmark = pytest.mark.django_db


def test_county_sends_and_department_answers_through_the_api(client, demo):
    application, county = in_county_review(demo)
    client.force_login(county)
    response = client.post(
        "/api/opinion-requests/",
        {
            "application": application.pk,
            "departments": [d.pk for d in required_departments(application)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    env = OpinionRequest.objects.get(
        application=application, department__department="ecology_environment"
    )
    client.force_login(demo["luoyang-env"])
    assert [row["id"] for row in client.get("/api/opinion-requests/").json()["results"]] == [env.pk]
    refused = client.post(f"/api/opinion-requests/{env.pk}/answer/", {"answer": "objection"})
    assert refused.status_code == 400 and "理由" in str(refused.json())
    answered = client.post(f"/api/opinion-requests/{env.pk}/answer/", {"answer": "no_objection"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    client.force_login(demo["jinan-env"])
    assert client.get(f"/api/opinion-requests/{env.pk}/").status_code == 404


def test_county_review_endpoint(client, demo):
    application, county = in_county_review(demo)
    client.force_login(county)
    response = client.put(
        f"/api/county-reviews/{application.pk}/",
        {"checklist": {"materials_complete": True}, "rank": 2, "notes": "较好"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["rank"] == 2
    assert client.get(f"/api/county-reviews/{application.pk}/").json()["checklist"][
        "materials_complete"
    ]
    client.force_login(demo["luoyang-county2"])
    assert client.get(f"/api/county-reviews/{application.pk}/").status_code == 404
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(f"/api/county-reviews/{application.pk}/").status_code == 404


def test_opinion_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    from reviews.services.review import opinion_request_send

    application, county = in_county_review(demo)
    opinion_request_send(
        application=application, actor=county, departments=required_departments(application)
    )
    client.force_login(county)
    with django_assert_max_num_queries(15) as page:
        client.get("/opinions/")
    with django_assert_max_num_queries(15) as api:
        client.get("/api/opinion-requests/")
    for _ in range(3):
        other, _county = in_county_review(demo)
        opinion_request_send(
            application=other, actor=county, departments=required_departments(other)
        )
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get("/opinions/")
    with django_assert_max_num_queries(len(api.captured_queries)):
        client.get("/api/opinion-requests/")
