"""公示 pages: the authority's, and the public's (no login) list, objection form and lookup."""

import pytest
from django.urls import reverse

from registry.models import Listing
from reviews.models import Objection, Publicity
from reviews.services.publicity import objection_lodge
from tests.reviews.publicity import (
    OBJECTOR,
    another_enterprise,
    end_period,
    in_publicity,
    passed_application,
)
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def test_the_city_starts_a_publicity_from_the_batch(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-city"])
    url = reverse("reviews:publicity-start", args=[application.batch_id])

    page = client.get(url)
    assert application.organisation.name in page.content.decode()

    response = client.post(
        url,
        {"title": "拟入选名单公示", "contact": "0379-63900000", "applications": [application.pk]},
    )

    publicity = Publicity.objects.get()
    assert response.url == reverse("reviews:publicity-manage", args=[publicity.pk])
    batch_page = client.get(
        reverse("applications:batch-detail", args=[application.batch_id]), {"tab": "publicity"}
    )
    assert "公示与异议处理" in batch_page.content.decode()


def test_a_publicity_form_error_keeps_what_was_typed(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-city"])

    response = client.post(
        reverse("reviews:publicity-start", args=[application.batch_id]),
        {"title": "我的公示标题", "contact": "", "applications": [application.pk]},
    )

    html = response.content.decode()
    assert "我的公示标题" in html
    assert "该字段是必填项" in html
    assert not Publicity.objects.exists()


def test_a_county_cannot_start_the_citys_publicity(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-county"])

    response = client.get(
        reverse("reviews:publicity-start", args=[application.batch_id]), follow=True
    )

    assert "公示由批次组织单位" in response.content.decode()
    assert not Publicity.objects.exists()


@pytest.mark.parametrize(("who", "code"), [("luoyang-county", 404), ("jinan-city", 404)])
def test_the_management_page_is_scoped(client, demo, who, code):
    publicity, _applications = in_publicity(demo)
    client.force_login(demo[who])

    response = client.get(reverse("reviews:publicity-manage", args=[publicity.pk]))

    assert response.status_code == code


def test_the_province_sees_but_does_not_act(client, demo):
    publicity, _applications = in_publicity(demo)
    objection_lodge(item=publicity.items.get(), **OBJECTOR)
    client.force_login(demo["henan"])
    url = reverse("reviews:publicity-manage", args=[publicity.pk])

    html = client.get(url, {"tab": "objections"}).content.decode()

    assert OBJECTOR["content"] in html
    assert "保存处理结果" not in html and 'id="publish-heading"' not in html


def test_the_city_answers_an_objection_and_publishes_on_the_page(client, demo):
    publicity, _applications = in_publicity(demo)
    objection = objection_lodge(item=publicity.items.get(), **OBJECTOR)
    client.force_login(demo["luoyang-city"])
    manage = reverse("reviews:publicity-manage", args=[publicity.pk])

    client.post(
        reverse("reviews:objection-decide", args=[objection.pk]),
        {"upheld": "0", "response": "经核实，不属实"},
    )
    objection.refresh_from_db()
    assert objection.status == "dismissed"

    early = client.post(
        reverse("reviews:publicity-publish", args=[publicity.pk]),
        {"document_number": "洛工信〔2026〕88号", "published_on": "2026-11-27"},
    )
    assert early.status_code == 400
    assert "公示期满后方可发布名单" in early.content.decode()

    end_period(publicity)
    client.post(
        reverse("reviews:publicity-publish", args=[publicity.pk]),
        {"document_number": "洛工信〔2026〕88号", "published_on": str(publicity.ends_on)},
    )
    assert Listing.objects.get().document_number == "洛工信〔2026〕88号"
    assert "名单发文文号" in client.get(manage).content.decode()


def test_the_public_sees_the_proposed_list_without_internal_data(client, demo):
    kept = passed_application(demo, total="91")
    removed = passed_application(demo, batch=kept.batch, organisation=another_enterprise(demo))
    publicity, _applications = in_publicity(demo, applications=[kept, removed])
    removed_item = publicity.items.get(application=removed)
    removed_item.outcome = "removed"
    removed_item.save()
    objection_lodge(item=publicity.items.get(application=kept), **OBJECTOR)

    listing_page = client.get(reverse("reviews:public-publicity-list")).content.decode()
    detail = client.get(reverse("reviews:public-publicity-detail", args=[publicity.pk]))

    assert publicity.title in listing_page
    html = detail.content.decode()
    assert kept.organisation.name in html
    assert removed.organisation.name not in html
    assert "91.00" not in html and "得分" not in html  # no scores
    assert OBJECTOR["content"] not in html and OBJECTOR["phone"] not in html


def test_the_public_lodges_an_objection_and_follows_it(client, demo):
    publicity, _applications = in_publicity(demo)
    item = publicity.items.get()
    url = reverse("reviews:public-publicity-detail", args=[publicity.pk])

    anonymous = client.post(url, {**OBJECTOR, "name": "", "item": item.pk})
    assert anonymous.status_code == 400
    assert "实名" in anonymous.content.decode() or "必填" in anonymous.content.decode()
    assert OBJECTOR["content"] in anonymous.content.decode()  # nothing typed is lost

    response = client.post(url, {**OBJECTOR, "item": item.pk})

    objection = Objection.objects.get()
    assert response.url == reverse("reviews:public-objection", args=[objection.tracking_code])
    status_page = client.get(response.url).content.decode()
    assert objection.tracking_code in status_page and "待处理" in status_page
    assert client.get(reverse("reviews:public-objection", args=["NOSUCHCODE"])).status_code == 404


def test_no_objection_form_once_the_list_is_published(client, demo):
    publicity, _applications = in_publicity(demo)
    Publicity.objects.filter(pk=publicity.pk).update(status="published", document_number="文号")

    html = client.get(
        reverse("reviews:public-publicity-detail", args=[publicity.pk])
    ).content.decode()

    assert "提交异议" not in html
    assert "名单已发布" in client.get(reverse("reviews:public-publicity-list")).content.decode()


@pytest.mark.parametrize("page", ["manage", "public"])
def test_publicity_pages_keep_their_query_count(client, demo, page, django_assert_max_num_queries):
    def arrange(count):
        first = passed_application(demo)
        others = [
            passed_application(demo, batch=first.batch, organisation=another_enterprise(demo))
            for _ in range(count - 1)
        ]
        publicity, _ = in_publicity(demo, applications=[first, *others])
        for item in publicity.items.all():
            objection_lodge(item=item, **OBJECTOR)
        return publicity

    small, large = arrange(1), arrange(6)
    if page == "manage":
        client.force_login(demo["luoyang-city"])
        name = "reviews:publicity-manage"
    else:
        name = "reviews:public-publicity-detail"
    client.get(reverse(name, args=[small.pk]))
    with django_assert_max_num_queries(20) as small_queries:
        client.get(reverse(name, args=[small.pk]))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(reverse(name, args=[large.pk]))


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        ("luoyang-county", ["批量推荐"]),
        ("luoyang-city", ["批量开始专家评审", "批量决定"]),
        ("jinan-city", []),
    ],
)
def test_the_batch_page_links_the_bulk_pages_the_user_may_open(client, demo, who, labels):
    from tests.applications.helpers import city_batch

    batch = city_batch()
    client.force_login(demo[who])

    url = reverse("applications:batch-detail", args=[batch.pk])
    html = client.get(url, {"tab": "publicity"}).content.decode()

    for label in ["批量推荐", "批量开始专家评审", "批量决定"]:
        assert (f">{label}</a>" in html) == (label in labels)
