"""RSS 2.0 and Atom feeds of the announcements: Chinese titles, absolute links, Shanghai dates,
and the page's filters through the query string."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from .test_announcements import DOCUMENT, SHANGHAI, arranged, at

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client, **params):
    response = client.get("/gongshi/announcements/rss/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def atom(client, **params):
    response = client.get("/gongshi/announcements/atom/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_rss_feed_carries_the_announcements_newest_first(client, demo):
    older = arranged(demo, published_at=at(2025, 3, 1, 9, 30))
    newer = arranged(
        demo, kind="list", published_at=at(2025, 4, 2, 8, 15), document_number=DOCUMENT
    )
    arranged(demo, title="明天才发布", published_at=timezone.now() + datetime.timedelta(days=1))

    channel = rss(client)

    assert channel.findtext("title") == "绿色制造名单公示公告"
    assert channel.findtext("link") == "http://testserver/gongshi/announcements/"
    assert "第三方评价机构黑名单" in channel.findtext("description")
    assert channel.findtext("language") == "zh-CN"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [newer.title, older.title]
    first = items[0]
    assert first.findtext("link") == f"http://testserver{newer.link}"
    assert first.findtext("guid") == f"http://testserver/gongshi/announcements/{newer.pk}/"
    assert first.findtext("pubDate") == "Wed, 02 Apr 2025 08:15:00 +0800"
    assert email.utils.parsedate_to_datetime(first.findtext("pubDate")) == newer.published_at
    assert first.findtext("category") == "名单公布"
    description = first.findtext("description")
    assert newer.summary in description and f"文号：{DOCUMENT}" in description
    assert "发布单位：洛阳市工业和信息化局" in description


def test_the_atom_feed_carries_the_same_entries(client, demo):
    announcement = arranged(demo, kind="blacklist", published_at=at(2025, 1, 1, 0, 30))

    feed = atom(client)

    assert feed.findtext(f"{ATOM}title") == "绿色制造名单公示公告"
    assert "名单公布" in feed.findtext(f"{ATOM}subtitle")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/gongshi/announcements/"
    assert links["self"] == "http://testserver/gongshi/announcements/atom/"
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == announcement.title
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{announcement.link}"
    assert entry.findtext(f"{ATOM}id") == (
        f"http://testserver/gongshi/announcements/{announcement.pk}/"
    )
    assert entry.findtext(f"{ATOM}published") == "2025-01-01T00:30:00+08:00"
    assert entry.findtext(f"{ATOM}updated") == "2025-01-01T00:30:00+08:00"
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published == announcement.published_at and published.utcoffset() == (
        datetime.datetime(2025, 1, 1, tzinfo=SHANGHAI).utcoffset()
    )
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "洛阳市工业和信息化局"
    assert entry.find(f"{ATOM}category").get("term") == "评价机构黑名单"


def test_the_feeds_take_the_page_filters(client, demo):
    arranged(demo, kind="list", who="luoyang-county", published_at=at(2025, 5, 1))
    wanted = arranged(demo, kind="list", who="luoyang-city", published_at=at(2025, 4, 1))
    arranged(demo, kind="list", who="jinan-city", published_at=at(2025, 4, 1))
    arranged(demo, kind="blacklist", who="luoyang-city", published_at=at(2025, 4, 1))
    arranged(demo, kind="list", who="luoyang-city", published_at=at(2024, 4, 1))
    params = {"kind": "list", "region": "410300", "year": "2025"}

    channel = rss(client, **params)
    feed = atom(client, **params)

    expected = "绿色制造名单公示公告 · 名单公布 · 洛阳市 · 2025年"
    assert channel.findtext("title") == expected and feed.findtext(f"{ATOM}title") == expected
    assert channel.findtext("link") == (
        "http://testserver/gongshi/announcements/?kind=list&region=410300&year=2025"
    )
    assert len(channel.findall("item")) == 2
    assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == [
        title for title in (item.findtext("title") for item in channel.findall("item"))
    ]
    assert wanted.title in [item.findtext("title") for item in channel.findall("item")]
    county = rss(client, region="410311")
    assert len(county.findall("item")) == 1
    # Unusable values are ignored, as on the page.
    assert len(rss(client, kind="bogus").findall("item")) == 5


def test_the_feeds_hold_the_latest_fifty_in_constant_queries(
    client, demo, django_assert_max_num_queries
):
    for _ in range(5):
        arranged(demo)
    with django_assert_max_num_queries(5) as small:
        rss(client, region="410000")
    for _ in range(55):
        arranged(demo)
    with django_assert_max_num_queries(len(small.captured_queries)):
        channel = rss(client, region="410000")
    with django_assert_max_num_queries(len(small.captured_queries)):
        feed = atom(client, region="410000")
    assert len(channel.findall("item")) == 50 and len(feed.findall(f"{ATOM}entry")) == 50
