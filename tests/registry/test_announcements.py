"""公告: every publicity notice, published list, blacklisting, removal and change is announced
once, with public facts only, and listed in date order on a public page with filters."""

import datetime
import itertools
import re
import zoneinfo

import pytest
from django.utils import timezone

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError
from registry.models import Announcement, Listing, ListingEvent
from registry.services import announcement as services
from registry.services.announcement import (
    announce,
    announce_change,
    announce_removal,
)
from reviews.services.publicity import (
    objection_decide,
    objection_lodge,
    publicity_publish,
    publicity_start,
)
from tests.factories import ComplaintFactory, ListingFactory
from tests.reviews.publicity import (
    OBJECTOR,
    another_enterprise,
    end_period,
    in_publicity,
    passed_application,
)
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)
from tests.thirdparty.helpers import qualified_agency
from tests.thirdparty.test_blacklist_pages import DECISION, REASON, add, evidence
from thirdparty.services.agencies import blacklist_add, blacklist_lift

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DOCUMENT = "洛工信〔2026〕12号"
COMPLAINANT = {
    "name": "李举报",
    "id_or_organisation": "410302199001011234",
    "phone": "13800138000",
    "email": "lijubao@example.cn",
    "content": "该企业实际排放长期超标，申报材料与实际不符。",
}


# --- arrangements (imported by the feed and API tests) ------------------------------------------

_subjects = itertools.count(1)


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    """A moment in Shanghai time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def arranged(demo, *, kind="publicity", who="luoyang-city", published_at=None, **fields):
    """An announcement by ``who``'s bureau, in that bureau's jurisdiction."""
    authority = demo[who].organisation
    serial = next(_subjects)
    values = {
        "kind": kind,
        "title": f"测试公告{serial}",
        "summary": f"测试公告{serial}的摘要。",
        "authority": authority,
        "jurisdiction": authority.jurisdiction,
        "published_at": published_at or timezone.now() - datetime.timedelta(minutes=serial),
        "link": f"/gongshi/{serial}/",
        "subject_type": "tests.arranged",
        "subject_id": serial,
        **fields,
    }
    return Announcement.objects.create(**values)


def listing_of(demo, *, city="luoyang", **changes) -> Listing:
    enterprise = demo[f"{city}-enterprise"].organisation
    official = demo[f"{city}-city"]
    values = {
        "organisation": enterprise,
        "unit_type": "factory",
        "level": "city",
        "year": 2025,
        "authority": official.organisation,
        "document_number": "洛工信〔2025〕30号",
        "listed_on": datetime.date(2025, 6, 1),
        "created_by": official,
        **changes,
    }
    return ListingFactory(**values)


def text_of(announcement: Announcement) -> str:
    return " ".join(
        [announcement.title, announcement.summary, announcement.document_number, announcement.link]
    )


# --- announce ----------------------------------------------------------------------------------


def test_announce_is_once_per_kind_and_subject(demo):
    listing = listing_of(demo)
    city = demo["luoyang-city"]
    common = {
        "summary": "摘要",
        "authority": city.organisation,
        "jurisdiction": city.organisation.jurisdiction,
        "link": "/gongshi/",
        "subject": listing,
    }

    first = announce(kind="removal", title="第一次", actor=city, **common)
    again = announce(kind="removal", title="第二次", **common)
    other_kind = announce(kind="change", title="另一类别", **common)

    assert again.pk == first.pk and again.title == "第一次"
    assert other_kind.pk != first.pk
    assert Announcement.objects.count() == 2
    assert (first.subject_type, first.subject_id) == ("registry.listing", listing.pk)
    entry = AuditEntry.objects.get(action="announce", object_id=str(first.pk))
    assert entry.actor == city


def test_a_concurrent_announcement_of_the_same_event_stands(demo, monkeypatch):
    """Two commands announcing one event at once: the unique constraint keeps the first, and
    the second command's transaction goes on (a savepoint)."""
    listing = listing_of(demo)
    first = announce_removal(listing)
    # As if the second command had looked before the first one saved.
    monkeypatch.setattr(services, "announcement_of", lambda **kwargs: None)

    second = announce_removal(listing, reason="再次公告")

    assert second.pk == first.pk and "再次公告" not in second.summary
    assert Announcement.objects.count() == 1
    assert AuditEntry.objects.filter(action="announce").count() == 1


def test_an_announcement_without_a_link_links_to_its_own_page(client, demo):
    announcement = announce(
        kind="change",
        title="「某单位」名称变更",
        summary="摘要",
        authority=demo["luoyang-city"].organisation,
        jurisdiction=demo["luoyang-city"].organisation.jurisdiction,
        link="",
        subject=listing_of(demo),
    )

    assert announcement.link == f"/gongshi/announcements/{announcement.pk}/"
    page = client.get(announcement.link)
    assert page.status_code == 200 and "查看详情" not in page.content.decode()
    listed = client.get("/gongshi/announcements/").content.decode()
    assert listed.count(f'href="{announcement.link}"') == 1 and "公告全文" not in listed


# --- the hooks ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("boundary_template")
def test_starting_a_publicity_announces_it_once(demo):
    publicity, [application] = in_publicity(demo)

    announcement = Announcement.objects.get()
    assert announcement.kind == Announcement.Kind.PUBLICITY
    assert announcement.title == "2026年度绿色工厂拟入选名单公示"
    start, end = (day.strftime("%Y-%m-%d") for day in (publicity.starts_on, publicity.ends_on))
    assert f"公示期 {start} 至 {end}" in announcement.summary
    assert "共 1 家单位拟列入名单" in announcement.summary
    assert announcement.link == f"/gongshi/{publicity.pk}/"
    assert announcement.authority == application.batch.authority
    assert announcement.jurisdiction.key == "410300"
    assert (announcement.subject_type, announcement.subject_id) == (
        "reviews.publicity",
        publicity.pk,
    )
    # The command is refused the second time, and nothing more is announced.
    with pytest.raises(DomainError):
        publicity_start(
            batch=application.batch, actor=demo["luoyang-city"], title="再次公示", contact="电话"
        )
    assert Announcement.objects.count() == 1


@pytest.mark.usefixtures("boundary_template")
def test_publishing_the_list_announces_it_once_with_nothing_private(demo):
    kept = passed_application(demo, total="90")
    removed = passed_application(demo, batch=kept.batch, organisation=another_enterprise(demo))
    publicity, _applications = in_publicity(demo, applications=[kept, removed])
    objection = objection_lodge(item=publicity.items.get(application=removed), **OBJECTOR)
    city = demo["luoyang-city"]
    objection_decide(objection=objection, actor=city, upheld=True, response="经核实情况属实")
    end_period(publicity)

    publicity_publish(publicity=publicity, actor=city, document_number=DOCUMENT)

    listed = Announcement.objects.get(kind=Announcement.Kind.LIST)
    assert listed.document_number == DOCUMENT and DOCUMENT in listed.title
    assert f"以{DOCUMENT}公布" in listed.summary and "共 1 家单位列入名单" in listed.summary
    assert listed.link == f"/gongshi/{publicity.pk}/"
    assert timezone.localtime(listed.published_at).date() == timezone.localdate()
    with pytest.raises(DomainError):
        publicity_publish(publicity=publicity, actor=city, document_number=DOCUMENT)
    assert Announcement.objects.filter(kind=Announcement.Kind.LIST).count() == 1
    assert Announcement.objects.filter(kind=Announcement.Kind.PUBLICITY).count() == 1
    for announcement in Announcement.objects.all():
        text = text_of(announcement)
        for private in [*OBJECTOR.values(), "经核实情况属实"]:
            assert private not in text, (private, text)
        # The scores, as numbers of their own (a batch may be 第902批).
        assert not re.search(r"(?<!\d)(90|88)(?!\d)", text), text
        assert removed.organisation.name not in text


def test_blacklisting_an_agency_announces_it_once(demo):
    agency = qualified_agency()
    city = demo["luoyang-city"]

    entry = add(city, agency)

    announcement = Announcement.objects.get()
    assert announcement.kind == Announcement.Kind.BLACKLIST
    assert announcement.title == f"「{agency.name}」列入第三方评价机构黑名单"
    assert agency.name in announcement.summary and agency.credit_code in announcement.summary
    assert "洛阳市工业和信息化局" in announcement.summary
    assert f"至 {entry.ends_on:%Y-%m-%d} 止" in announcement.summary
    assert announcement.link == "/gongshi/agency-blacklist/"
    assert announcement.authority == city.organisation
    assert announcement.jurisdiction.key == "410300"
    # Neither the evidence nor who recorded it.
    text = text_of(announcement)
    assert entry.original_name not in text and city.display_name not in text
    with pytest.raises(DomainError):
        blacklist_add(agency=agency, actor=city, reason=REASON, evidence=evidence())
    assert Announcement.objects.count() == 1


def test_lifting_a_blacklisting_is_announced_once_and_amends_the_original(demo):
    city = demo["luoyang-city"]
    agency = qualified_agency()
    entry = add(city, agency)

    blacklist_lift(entry=entry, actor=city, decision=DECISION)

    original, lifted = Announcement.objects.order_by("pk")
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert original.summary.endswith(f"（已于 {today} 提前解除）")
    assert lifted.kind == Announcement.Kind.BLACKLIST
    assert lifted.title == f"「{agency.name}」提前解除第三方评价机构黑名单"
    assert f"自 {today} 起不再限制采信" in lifted.summary
    assert lifted.subject_type == "thirdparty.blacklistentry:lift"
    assert AuditEntry.objects.filter(object_id=str(original.pk), action="amend").exists()
    with pytest.raises(DomainError):
        blacklist_lift(entry=entry, actor=city, decision=DECISION)
    assert Announcement.objects.count() == 2
    assert original.summary.count("提前解除") == 1


# --- removals and changes (for the dynamic management) -----------------------------------------


def test_a_removal_is_announced_with_its_date_and_document_number(demo):
    listing = listing_of(demo, removed_on=datetime.date(2026, 3, 2), status="removed")
    ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.REMOVED,
        occurred_on=datetime.date(2026, 3, 2),
        document_number="洛工信〔2026〕5号",
        reason="发生较大环境污染事件",
    )
    ComplaintFactory(listing=listing, **COMPLAINANT)

    announcement = announce_removal(listing, reason="发生较大环境污染事件")

    assert announcement.kind == Announcement.Kind.REMOVAL
    assert announcement.title == f"「{listing.unit_name}」移出2025年度市级绿色工厂名单"
    assert announcement.document_number == "洛工信〔2026〕5号"
    assert "移出日期：2026-03-02" in announcement.summary
    assert "列入文号：洛工信〔2025〕30号" in announcement.summary
    assert "移出原因：发生较大环境污染事件" in announcement.summary
    assert listing.credit_code in announcement.summary
    assert timezone.localtime(announcement.published_at) == at(2026, 3, 2, 0)
    assert announcement.jurisdiction == listing.jurisdiction
    assert announcement.link == f"/gongshi/announcements/{announcement.pk}/"
    for private in COMPLAINANT.values():
        assert private not in text_of(announcement)
    assert announce_removal(listing).pk == announcement.pk
    assert Announcement.objects.count() == 1


def test_changes_are_announced_once_each(demo):
    listing = listing_of(demo)
    renamed = ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.NAME_CHANGE,
        occurred_on=datetime.date(2026, 4, 1),
        old_value="洛阳旧名有限公司",
        new_value="洛阳新名有限公司",
        document_number="洛工信〔2026〕9号",
    )
    extended = ListingEvent.objects.create(
        listing=listing, kind=ListingEvent.Kind.EXTENDED, occurred_on=datetime.date(2026, 5, 1)
    )
    Listing.objects.filter(pk=listing.pk).update(valid_until=datetime.date(2029, 5, 1))
    extended.listing.refresh_from_db()

    name_change = announce_change(renamed, link="/gongshi/registry/1/")
    extension = announce_change(extended)

    assert name_change.kind == Announcement.Kind.CHANGE
    assert name_change.title == f"「{listing.unit_name}」名称变更"
    assert "变更前：洛阳旧名有限公司；变更后：洛阳新名有限公司" in name_change.summary
    assert (name_change.document_number, name_change.link) == (
        "洛工信〔2026〕9号",
        "/gongshi/registry/1/",
    )
    assert timezone.localtime(name_change.published_at) == at(2026, 4, 1, 0)
    assert "有效期至 2029-05-01" in extension.summary
    assert announce_change(renamed).pk == name_change.pk
    assert Announcement.objects.filter(kind=Announcement.Kind.CHANGE).count() == 2


def test_a_removed_event_is_announced_as_the_removal_and_a_listing_is_not_a_change(demo):
    listing = listing_of(demo)
    removed = ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.REMOVED,
        occurred_on=datetime.date(2026, 3, 2),
        document_number="洛工信〔2026〕5号",
    )
    listed = ListingEvent.objects.create(
        listing=listing, kind=ListingEvent.Kind.LISTED, occurred_on=listing.listed_on
    )

    assert announce_change(removed).kind == Announcement.Kind.REMOVAL
    with pytest.raises(DomainError) as refused:
        announce_change(listed)
    assert refused.value.code == "not_a_change"
    assert Announcement.objects.count() == 1


# --- the public page ---------------------------------------------------------------------------


def titles(response) -> list[str]:
    return [announcement.title for announcement in response.context["page_obj"]]


def test_the_page_lists_announcements_newest_first_without_login(client, demo):
    old = arranged(demo, published_at=at(2025, 1, 5))
    new = arranged(demo, kind="blacklist", published_at=at(2025, 3, 1))
    middle = arranged(demo, kind="list", published_at=at(2025, 2, 1), document_number=DOCUMENT)
    arranged(demo, title="明天才发布", published_at=timezone.now() + datetime.timedelta(days=1))

    response = client.get("/gongshi/announcements/")

    assert response.status_code == 200
    assert titles(response) == [new.title, middle.title, old.title]
    html = response.content.decode()
    assert f'href="{new.link}"' in html and f'href="/gongshi/announcements/{new.pk}/"' in html
    assert DOCUMENT in html and "明天才发布" not in html
    assert 'href="/gongshi/announcements/"' in client.get("/gongshi/").content.decode()


def test_the_page_filters_by_kind_region_and_year(client, demo):
    city = arranged(demo, published_at=at(2025, 5, 1))
    county = arranged(demo, kind="blacklist", who="luoyang-county", published_at=at(2025, 4, 1))
    jinan = arranged(demo, kind="list", who="jinan-city", published_at=at(2025, 3, 1))
    # 2024-12-31 17:00 UTC is already 2025 in Shanghai; 2024-12-31 15:00 UTC is not.
    new_year = arranged(demo, published_at=datetime.datetime(2024, 12, 31, 17, tzinfo=datetime.UTC))
    old_year = arranged(demo, published_at=datetime.datetime(2024, 12, 31, 15, tzinfo=datetime.UTC))

    def shown(**params):
        return titles(client.get("/gongshi/announcements/", params))

    assert shown(kind="blacklist") == [county.title]
    assert shown(region="410300") == [city.title, county.title, new_year.title, old_year.title]
    assert shown(region="410311") == [county.title]
    assert shown(region="370000") == [jinan.title]
    assert shown(region="nowhere") == []
    assert shown(year="2025") == [city.title, county.title, jinan.title, new_year.title]
    assert shown(year="2024") == [old_year.title]
    assert shown(kind="publicity", region="410000", year="2025") == [city.title, new_year.title]
    # Values that do not validate are ignored rather than refused.
    assert len(shown(kind="bogus", year="abc")) == 5
    response = client.get("/gongshi/announcements/", {"region": "410311"})
    assert response.context["years"] == [2025, 2024]
    assert '<option value="410311" selected>' in response.content.decode()


def test_the_page_is_paginated_keeping_the_filters(client, demo):
    for day in range(1, 26):
        arranged(demo, kind="list", published_at=at(2025, 1, day))
    arranged(demo, kind="publicity", published_at=at(2025, 2, 1))

    first = client.get("/gongshi/announcements/", {"kind": "list"})
    second = client.get("/gongshi/announcements/", {"kind": "list", "page": 2})

    assert len(first.context["page_obj"]) == 20 and first.context["paginator"].count == 25
    assert len(second.context["page_obj"]) == 5
    assert "?kind=list&amp;page=2" in first.content.decode()


def test_the_page_offers_both_feeds_with_its_filters(client, demo):
    html = client.get("/gongshi/announcements/", {"kind": "list", "year": "2025"}).content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="绿色制造名单公示公告（RSS）" '
        'href="/gongshi/announcements/rss/?kind=list&amp;year=2025">'
    ) in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="绿色制造名单公示公告（Atom）" '
        'href="/gongshi/announcements/atom/?kind=list&amp;year=2025">'
    ) in html
    unfiltered = client.get("/gongshi/announcements/", {"kind": "", "page": "1"}).content.decode()
    assert 'href="/gongshi/announcements/rss/">' in unfiltered
    assert 'href="/gongshi/announcements/atom/">' in unfiltered


def test_the_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    for _ in range(5):
        arranged(demo)
    with django_assert_max_num_queries(10) as small:
        assert client.get("/gongshi/announcements/", {"region": "410000"}).status_code == 200
    for index in range(45):
        arranged(demo, who="luoyang-county" if index % 2 else "luoyang-city")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/gongshi/announcements/", {"region": "410000"})
    assert len(response.context["page_obj"]) == 20


def test_an_announcement_has_its_own_page(client, demo):
    announcement = arranged(demo, document_number=DOCUMENT, published_at=at(2025, 6, 1, 10, 30))
    future = arranged(demo, published_at=timezone.now() + datetime.timedelta(hours=1))

    page = client.get(f"/gongshi/announcements/{announcement.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert announcement.summary in html and DOCUMENT in html and "2025-06-01 10:30" in html
    assert f'href="{announcement.link}"' in html and "查看详情" in html
    assert client.get(f"/gongshi/announcements/{future.pk}/").status_code == 404
