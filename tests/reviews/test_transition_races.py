"""Concurrent transitions on PostgreSQL: row locks let exactly one of two racing moves win."""

import threading

import pytest
from django.db import connection

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.core.errors import DomainError
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def race(*calls) -> list[str]:
    """Run the calls at the same moment in threads with their own connections."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(f"refused: {error.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_two_recommendations_cannot_both_take_the_last_place(demo):
    first, county = in_county_review(demo, quota=1)
    second, _county = in_county_review(demo, quota=1, unit_type="park", batch=first.batch)
    for application in (first, second):
        ready_to_recommend(demo, application, county)
    outcomes = race(
        lambda: application_transition(application=first, action="recommend", actor=county),
        lambda: application_transition(application=second, action="recommend", actor=county),
    )
    assert outcomes[0] == "ok" and "名额已满" in outcomes[1]
    assert Application.objects.filter(status="recommended").count() == 1


def test_the_same_transition_twice_succeeds_once(demo):
    application, county = in_county_review(demo)
    application_transition(
        application=application, action="return", actor=county, comment="补充材料"
    )
    applicant = demo["luoyang-enterprise"]
    outcomes = race(
        lambda: application_transition(application=application, action="submit", actor=applicant),
        lambda: application_transition(application=application, action="submit", actor=applicant),
    )
    assert outcomes[0] == "ok" and "当前状态为「已提交」" in outcomes[1]
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.usefixtures("boundary_template")
def test_two_publications_of_one_list_succeed_once(demo):
    from registry.models import Listing
    from reviews.services.publicity import publicity_publish
    from tests.reviews.publicity import end_period, in_publicity

    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    city = demo["luoyang-city"]
    outcomes = race(
        lambda: publicity_publish(publicity=publicity, actor=city, document_number="文号1"),
        lambda: publicity_publish(publicity=publicity, actor=city, document_number="文号2"),
    )
    assert outcomes[0] == "ok" and "名单已于" in outcomes[1]
    assert Listing.objects.count() == 1


@pytest.mark.usefixtures("boundary_template")
def test_two_recommendations_up_cannot_both_take_the_last_place(demo):
    from reviews.services.promotion import promote
    from tests.factories import BatchQuotaFactory, ListingFactory
    from tests.reviews.publicity import another_enterprise
    from tests.reviews.test_promotion import city_listing, province_batch

    first = city_listing(demo)
    second = ListingFactory(
        organisation=another_enterprise(demo),
        unit_type="factory",
        level="city",
        year=first.year,
        authority=first.authority,
        document_number=first.document_number,
        listed_on=first.listed_on,
        created_by=demo["luoyang-city"],
    )
    batch = province_batch()
    BatchQuotaFactory(batch=batch, county=first.jurisdiction.parent, quota=1)
    city = demo["luoyang-city"]
    outcomes = race(
        lambda: promote(batch=batch, listing=first, actor=city),
        lambda: promote(batch=batch, listing=second, actor=city),
    )
    assert outcomes[0] == "ok" and "已全部使用" in outcomes[1]
    assert Application.objects.filter(batch=batch).count() == 1
