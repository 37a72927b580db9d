"""推荐至上级: a city recommends units of its list into the province batch, a province into the
national batch, under the recommending policy's own rule (洛阳 第二十二条, 济南 第十二条)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from registry.models import Listing
from reviews.services.promotion import promote, promotion_withdraw
from reviews.services.publicity import publicity_publish
from tests.factories import BatchFactory, BatchQuotaFactory, ListingFactory, official
from tests.reviews.publicity import another_enterprise, end_period, in_publicity, passed_application
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]

PROVINCE = {"luoyang": ("410000", "luoyang-2024"), "jinan": ("370000", "jinan-2024")}


def city_listing(demo, city="luoyang", **kwargs) -> Listing:
    """A unit published on ``city``'s list through the whole review flow."""
    application = passed_application(demo, city=city, **kwargs)
    publicity, _applications = in_publicity(demo, city=city, applications=[application])
    end_period(publicity)
    [listing] = publicity_publish(
        publicity=publicity, actor=demo[f"{city}-city"], document_number="市工信〔2026〕1号"
    )
    return listing


def upper_batch(key, policy, **kwargs):
    authority = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=key)
    return BatchFactory(
        authority=authority, jurisdiction=authority.jurisdiction, policy=policy, **kwargs
    )


def province_batch(city="luoyang", **kwargs):
    return upper_batch(*PROVINCE[city], **kwargs)


def test_a_city_listed_factory_is_recommended_to_the_province(demo):
    listing = city_listing(demo)
    batch = province_batch()
    source = listing.application

    application = promote(batch=batch, listing=listing, actor=demo["luoyang-city"])

    assert (application.batch, application.status) == (batch, "recommended")
    assert application.source_application == source
    assert (application.organisation, application.jurisdiction) == (
        source.organisation,
        source.jurisdiction,
    )
    assert application.facts == source.facts
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="promote")
    assert entry.data["document_number"] == "市工信〔2026〕1号"
    assert AuditEntry.objects.filter(object_id=str(source.pk), action="promoted").exists()
    assert Notification.objects.filter(
        recipient=demo["henan"], subject__startswith="收到下级推荐"
    ).exists()


def test_the_province_runs_its_own_review_of_a_recommendation(demo):
    application = promote(
        batch=province_batch(), listing=city_listing(demo), actor=demo["luoyang-city"]
    )

    with pytest.raises(DomainError, match="河南省"):
        application_transition(
            application=application, action="start_expert_review", actor=demo["luoyang-city"]
        )
    with pytest.raises(DomainError, match="下级主管部门推荐"):
        application_transition(
            application=application,
            action="revoke_recommendation",
            actor=demo["luoyang-county"],
            comment="撤回",
        )


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("luoyang-county", NotPermitted, "市级工业和信息化主管部门"),
        ("henan", NotPermitted, "市级工业和信息化主管部门"),
        ("jinan-city", NotPermitted, "市级工业和信息化主管部门"),
        ("luoyang-enterprise", NotPermitted, "市级工业和信息化主管部门"),
    ],
)
def test_only_the_city_below_recommends(demo, who, error, message):
    listing = city_listing(demo)

    with pytest.raises(error, match=message):
        promote(batch=province_batch(), listing=listing, actor=demo[who])


def test_a_city_cannot_recommend_another_citys_unit(demo):
    listing = city_listing(demo)
    colleague = official(Jurisdiction.objects.get(key="410300"))  # another Luoyang official
    promote(batch=province_batch(), listing=listing, actor=colleague)

    jinan_listing = city_listing(demo, city="jinan")
    with pytest.raises(NotPermitted, match="管辖范围"):
        promote(batch=province_batch(), listing=jinan_listing, actor=demo["luoyang-city"])


def test_a_city_batch_takes_no_recommendations(demo):
    listing = city_listing(demo)

    with pytest.raises(DomainError, match="不接收下级推荐"):
        promote(batch=listing.batch, listing=listing, actor=demo["luoyang-city"])


@pytest.mark.parametrize(
    "settings",
    [
        {"recommendations_open": False},
        {"recommendation_deadline": timezone.now() - timedelta(hours=1)},
        {"status": "draft"},
    ],
    ids=["closed", "deadline-passed", "draft"],
)
def test_recommendations_only_while_the_batch_takes_them(demo, settings):
    listing = city_listing(demo)

    with pytest.raises(DomainError, match="已停止接收推荐"):
        promote(batch=province_batch(**settings), listing=listing, actor=demo["luoyang-city"])


def test_the_batch_must_take_the_unit_type(demo):
    listing = city_listing(demo)

    with pytest.raises(DomainError, match="不受理绿色工厂"):
        promote(
            batch=province_batch(unit_types=["park"]), listing=listing, actor=demo["luoyang-city"]
        )


def test_a_unit_is_recommended_once_and_a_withdrawn_one_may_be_renewed(demo):
    listing = city_listing(demo)
    batch = province_batch()
    city = demo["luoyang-city"]
    application = promote(batch=batch, listing=listing, actor=city)
    with pytest.raises(DomainError, match="已推荐至"):
        promote(batch=batch, listing=listing, actor=city)

    with pytest.raises(DomainError, match="须填写理由"):
        promotion_withdraw(application=application, actor=city, comment="")
    promotion_withdraw(application=application, actor=city, comment="材料需补充")
    application.refresh_from_db()
    assert application.status == "not_recommended"

    renewed = promote(batch=batch, listing=listing, actor=city)
    assert (renewed.pk, renewed.status) == (application.pk, "recommended")


def test_the_province_quota_of_a_city_is_a_ceiling(demo):
    first = city_listing(demo)
    batch = province_batch()
    BatchQuotaFactory(batch=batch, county=first.jurisdiction.parent, quota=1)
    city = demo["luoyang-city"]
    promote(batch=batch, listing=first, actor=city)

    other = ListingFactory(
        organisation=another_enterprise(demo),
        unit_type="factory",
        level="city",
        year=2026,
        authority=first.authority,
        document_number="市工信〔2025〕9号",
        created_by=city,
    )
    with pytest.raises(DomainError, match="推荐名额为 1 个，已全部使用"):
        promote(batch=batch, listing=other, actor=city)


def test_jinan_national_recommendation_needs_the_province_list_in_principle(demo):
    """济南 第十二条: 申报国家级原则上应为省级 — refused, or overridden with a reason."""
    listing = city_listing(demo, city="jinan")
    national = upper_batch("CN", "dalian-2022-national")
    shandong = demo["shandong"]

    with pytest.raises(DomainError, match=r"未列入省级绿色工厂名单.*第十二条.*破格推荐理由"):
        promote(batch=national, listing=listing, actor=shandong)

    application = promote(
        batch=national,
        listing=listing,
        actor=shandong,
        override_reason="能效达到标杆水平，破格推荐",
    )
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="promote")
    assert entry.comment == "能效达到标杆水平，破格推荐"
    assert entry.data["overridden"][0]["article"] == "第十二条"


def test_luoyang_sets_no_condition_for_the_national_list(demo):
    listing = city_listing(demo)

    application = promote(
        batch=upper_batch("CN", "dalian-2022-national"), listing=listing, actor=demo["henan"]
    )

    assert application.status == "recommended"


def test_recommended_applications_carry_the_source_documents(demo):
    from applications.services.documents import document_upload
    from tests.applications.helpers import pdf_upload

    listing = city_listing(demo)
    source = listing.application
    Application.objects.filter(pk=source.pk).update(status="draft")
    source.refresh_from_db()
    document_upload(
        application=source,
        actor=demo["luoyang-enterprise"],
        kind="self_evaluation",
        uploaded_file=pdf_upload(),
    )
    Application.objects.filter(pk=source.pk).update(status="listed")

    application = promote(batch=province_batch(), listing=listing, actor=demo["luoyang-city"])

    [document] = application.documents.select_related("current")
    original = source.documents.get().current
    assert (document.kind, document.current.sha256, document.current.file.name) == (
        "self_evaluation",
        original.sha256,
        original.file.name,
    )


def test_application_pages_show_the_listing_and_the_recommendation(client, demo):
    listing = city_listing(demo)
    application = promote(batch=province_batch(), listing=listing, actor=demo["luoyang-city"])
    client.force_login(demo["luoyang-enterprise"])

    source_page = client.get(
        f"/applications/{listing.application_id}/?tab=listing"
    ).content.decode()
    promoted_page = client.get(f"/applications/{application.pk}/?tab=listing").content.decode()

    assert "市工信〔2026〕1号" in source_page and application.batch.title in source_page
    assert "推荐来源" in promoted_page and listing.batch.title in promoted_page


@pytest.mark.parametrize("page", ["reviews:promotion-candidates", "reviews:recommendation-summary"])
def test_promotion_pages_keep_their_query_count(client, demo, page, django_assert_max_num_queries):
    from django.urls import reverse

    city = demo["luoyang-city"]
    batch = province_batch()
    first = city_listing(demo)

    def add_listings(count):
        for _ in range(count):
            listing = ListingFactory(
                organisation=another_enterprise(demo),
                unit_type="factory",
                level="city",
                year=first.year,
                authority=first.authority,
                document_number=first.document_number,
                listed_on=first.listed_on,
                created_by=city,
            )
            promote(batch=batch, listing=listing, actor=city)

    client.force_login(city)
    url = reverse(page, args=[batch.pk])
    add_listings(4)
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    add_listings(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
