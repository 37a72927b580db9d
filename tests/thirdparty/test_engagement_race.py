"""Two applicants racing for an agency's last place under the cap: one is refused (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from thirdparty.models import Engagement

from .helpers import (
    batch_of,
    draft,
    engage_many,
    name_agency,
    national_batch,
    qualified_agency,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def race(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("city", ["luoyang", "dalian"])
def test_two_engagements_cannot_both_take_the_fifteenth_place(demo, city):
    agency = qualified_agency()
    county = "dalian" if city == "dalian" else "luoyang"
    if city == "dalian":
        batch = earlier = batch_of(city)
    else:
        # 洛阳 第二十条 counts national projects over the year: 14 in one national batch, the
        # race in another (so 大连 二's per-batch count stays far from its fifteen).
        earlier, batch = national_batch(), national_batch()
    engage_many(earlier, agency, 14, county=county)
    first, first_applicant = draft(batch, county=county)
    second, second_applicant = draft(batch, county=county)

    results = race(
        lambda: name_agency(first, first_applicant, agency),
        lambda: name_agency(second, second_applicant, agency),
    )

    assert sorted(len(refusals) for refusals in results) == [0, 1]
    assert Engagement.objects.filter(agency=agency, status="active").count() == 15
