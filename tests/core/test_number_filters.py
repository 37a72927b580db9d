"""An id or a year in a list's query string is bounded (greenmfg.core.filters IdFilter,
YearFilter): one too big for the database is refused with the reason, not a 500 (the API fuzz
found ``GET /api/onsite-checks/?application=<20 digits>`` failing on SQLite)."""

import pytest

from tests.problems import field_errors

pytestmark = pytest.mark.django_db

TOO_BIG = "9" * 20


@pytest.mark.parametrize(
    "url",
    [
        f"/api/onsite-checks/?application={TOO_BIG}",
        f"/api/sheets/?application={TOO_BIG}",
        f"/api/annual-tables/?listing={TOO_BIG}",
        f"/api/annual-tables/?window={TOO_BIG}",
        "/api/annual-tables/?year=99999",
        "/api/industry-references/?year=0",
        "/api/industry-benchmarks/?year=0",
    ],
)
def test_an_out_of_range_number_is_refused_with_its_reason(client, demo, url):
    client.force_login(demo["luoyang-city"])

    response = client.get(url)

    assert response.status_code == 400, response.content
    field = url.split("?")[1].split("=")[0]
    assert field in field_errors(response)
