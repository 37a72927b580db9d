"""发布名单: after the period, with every objection answered, the list is published."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import CultivationCandidate
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Listing
from reviews.services.publicity import objection_decide, objection_lodge, publicity_publish
from tests.dynamic_mgmt.dm_helpers import BEIJING
from tests.reviews.publicity import (
    OBJECTOR,
    another_enterprise,
    end_period,
    in_publicity,
    passed_application,
)
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def test_publishing_lists_each_proposed_unit_under_the_document_number(demo):
    kept = passed_application(demo, total="90")
    removed = passed_application(demo, batch=kept.batch, organisation=another_enterprise(demo))
    publicity, _applications = in_publicity(demo, applications=[kept, removed])
    objection = objection_lodge(item=publicity.items.get(application=removed), **OBJECTOR)
    city = demo["luoyang-city"]
    objection_decide(objection=objection, actor=city, upheld=True, response="情况属实")
    end_period(publicity)
    today = timezone.localdate()

    listings = publicity_publish(
        publicity=publicity, actor=city, document_number="洛工信〔2026〕88号"
    )

    assert [listing.organisation_id for listing in listings] == [kept.organisation_id]
    listing = Listing.objects.get()
    assert (listing.level, listing.unit_type, listing.year, listing.batch_id) == (
        "city",
        "factory",
        kept.batch.year,
        kept.batch_id,
    )
    assert (listing.document_number, listing.listed_on) == ("洛工信〔2026〕88号", today)
    assert listing.valid_until is None  # 洛阳 lists have no fixed term
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert (kept.status, removed.status) == ("listed", "not_listed")
    publicity.refresh_from_db()
    assert (publicity.status, publicity.document_number) == ("published", "洛工信〔2026〕88号")


def test_jinan_city_listings_run_for_three_years(demo, time_machine):
    """济南 第十五条: 市级绿色制造单位以三年为一个周期."""
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=BEIJING))
    publicity, _applications = in_publicity(demo, city="jinan")
    end_period(publicity)

    [listing] = publicity_publish(
        publicity=publicity,
        actor=demo["jinan-city"],
        document_number="济工信〔2026〕5号",
        published_on=datetime.date(2026, 11, 27),
    )

    assert listing.valid_until == datetime.date(2029, 11, 27)


def test_the_list_waits_for_the_end_of_the_period(demo):
    publicity, _applications = in_publicity(demo)

    with pytest.raises(DomainError, match=f"公示期至 {publicity.ends_on} 结束"):
        publicity_publish(publicity=publicity, actor=demo["luoyang-city"], document_number="文号")

    assert not Listing.objects.exists()


def test_the_list_waits_for_every_objection_to_be_answered(demo):
    publicity, _applications = in_publicity(demo)
    objection_lodge(item=publicity.items.get(), **OBJECTOR)
    end_period(publicity)

    with pytest.raises(DomainError, match="尚有 1 条异议未处理"):
        publicity_publish(publicity=publicity, actor=demo["luoyang-city"], document_number="文号")


def test_a_document_number_is_required_and_publishing_happens_once(demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    city = demo["luoyang-city"]
    with pytest.raises(ValidationError, match="发文文号"):
        publicity_publish(publicity=publicity, actor=city, document_number="  ")

    publicity_publish(publicity=publicity, actor=city, document_number="洛工信〔2026〕88号")
    with pytest.raises(DomainError, match="名单已于"):
        publicity_publish(publicity=publicity, actor=city, document_number="洛工信〔2026〕89号")
    assert Listing.objects.count() == 1


@pytest.mark.parametrize("who", ["luoyang-county", "jinan-city", "henan"])
def test_only_the_authority_publishes(demo, who):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)

    with pytest.raises(NotPermitted):
        publicity_publish(publicity=publicity, actor=demo[who], document_number="文号")


def test_a_listed_pool_candidate_is_marked_listed(demo):
    application = passed_application(demo)
    candidate = CultivationCandidate.objects.create(
        county=application.jurisdiction,
        organisation=application.organisation,
        target_unit_type="factory",
        target_year=2026,
        plan="三年培育计划",
        status="applied",
        created_by=demo["luoyang-county"],
    )
    publicity, _applications = in_publicity(demo, applications=[application])
    end_period(publicity)

    publicity_publish(publicity=publicity, actor=demo["luoyang-city"], document_number="文号1")

    candidate.refresh_from_db()
    assert candidate.status == "listed"
