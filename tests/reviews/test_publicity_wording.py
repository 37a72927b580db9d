"""The publicity's words (issue 17 item 5): one 名单 in the titles, the public table's 拟列入 in the
default title, and the real-name rule's own message for an objection without a name."""

import pytest
from django.urls import reverse

from tests.reviews.publicity import OBJECTOR, in_publicity, passed_application
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def test_the_batch_names_its_list_and_its_publicity_with_one_名单(demo):
    batch = passed_application(demo).batch
    place = batch.jurisdiction.name

    assert batch.list_name == f"{batch.year}年度{place}绿色制造名单"
    assert batch.publicity_title == f"{batch.year}年度{place}绿色制造拟列入名单公示"
    assert batch.publicity_title.count("名单") == 1


def test_the_publicity_form_offers_the_title(client, demo):
    application = passed_application(demo)
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("reviews:publicity-start", args=[application.batch_id]))

    assert application.batch.publicity_title in page.content.decode()
    assert "拟入选" not in page.content.decode()


def test_an_objection_without_a_name_gets_the_real_name_message_once(client, demo):
    publicity, _applications = in_publicity(demo)
    item = publicity.items.get()
    url = reverse("reviews:public-publicity-detail", args=[publicity.pk])

    response = client.post(url, {**OBJECTOR, "name": "", "organisation_or_id": "", "item": item.pk})

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("异议须实名提出，请填写姓名。") == 1
    assert html.count("请填写工作单位或身份证号，匿名异议不予受理。") == 1
    assert "该字段是必填项" not in html
    assert OBJECTOR["content"] in html  # nothing typed is lost
