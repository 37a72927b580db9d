"""Server errors the API fuzzer (test_api_fuzz.py) found, each pinned as a plain request.

Each one was a 500: an id in the URL that is not a number, a number too big for the database, or
a "digit" that ``int()`` refuses. Each is now a 4xx that says what was wrong.
"""

import pytest

from tests.factories import BatchFactory
from tests.problems import field_errors
from tests.reviews.helpers import in_county_review

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest id a BigAutoField holds; SQLite cannot even bind it
NOT_ASCII_DIGIT = "²"  # str.isdigit() says yes, int() says no


@pytest.mark.parametrize(
    "action", ["recommend", "start-expert-review", "decide-pass", "decide-fail"]
)
def test_bulk_action_with_an_id_too_big_for_the_database_is_a_400(client, demo, action):
    client.force_login(demo["luoyang-city"])

    response = client.post(
        f"/api/bulk/{action}/",
        {"applications": [TOO_BIG], "comment": "理由"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "applications" in field_errors(response)


def test_publicity_start_with_an_application_id_too_big_for_the_database_is_a_400(client, demo):
    city = demo["luoyang-city"]
    batch = BatchFactory(authority=city.organisation)
    client.force_login(city)

    response = client.post(
        "/api/publicities/",
        {"batch": batch.pk, "title": "公示", "contact": "联系人", "applications": [TOO_BIG]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "applications" in field_errors(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/county-reviews/null/"),
        ("get", "/api/document-versions/null/download/"),
        ("post", "/api/promotions/null/withdraw/"),
    ],
    ids=["county-review", "document-download", "promotion-withdraw"],
)
def test_an_id_in_the_path_that_is_not_a_number_is_a_404(client, demo, method, path):
    client.force_login(demo["luoyang-city"])

    response = getattr(client, method)(path, {}, content_type="application/json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "path", "field", "message"),
    [
        ("luoyang-city", "/api/promotions/?batch=²", "batch", "请指定接收推荐的上级批次"),
        ("luoyang-city", "/api/annual-reports/missing/?batch=²", "batch", "请填写批次编号"),
        ("luoyang-city", "/api/engagements/usage/?agency=²", "agency", "请指定评价机构"),
    ],
    ids=["promotions", "missing-annual-reports", "agency-usage"],
)
def test_a_query_id_that_is_a_digit_but_not_a_number_is_a_400(
    client, demo, username, path, field, message
):
    client.force_login(demo[username])

    response = client.get(path)

    assert response.status_code == 400
    assert message in field_errors(response)[field][0]


def test_county_review_rank_too_big_for_its_column_is_a_400(client, demo):
    application, county = in_county_review(demo)
    client.force_login(county)

    response = client.put(
        f"/api/county-reviews/{application.pk}/",
        {"checklist": {}, "rank": 40000},  # the column is a PostgreSQL smallint
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "rank" in field_errors(response)


# PostgreSQL text cannot hold NUL: psycopg2 refused these lookups with a ValueError (a 500), while
# SQLite answered 404. RejectNulCharacterMiddleware turns them away first.
NUL_MESSAGE = "含有空字符（NUL）"


def test_a_nul_in_an_api_path_is_a_400_with_a_json_message(client, demo):
    client.force_login(demo["luoyang-city"])

    response = client.get("/api/scoring-templates/%00/")

    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert NUL_MESSAGE in response.json()["detail"]


def test_a_nul_in_a_query_parameter_of_a_page_is_a_400(client):
    response = client.get("/", {"q": "绿色\x00"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_the_session_cookie_is_a_400(client):
    # A quoted cookie value decodes \000 to NUL; the session key would go to the database.
    response = client.get("/api/me/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')

    assert response.status_code == 400
