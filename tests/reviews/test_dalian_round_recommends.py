"""大连 recommends; it does not list. The 大连 notice (一) organises the city's recommendation
to the national list: 大连 is a 计划单列市 and recommends to the ministry itself (附件1 推荐汇总表).
Its round ends in that recommendation, with no 大连 city list; 洛阳 and 济南 publish their own.
"""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from applications.models import Application
from greenmfg.audit.models import AuditEntry
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.rules.reports import round_end
from registry.models import Listing
from reviews.models import Publicity
from reviews.services.promotion import round_recommend
from reviews.services.publicity import publicity_start
from tests.factories import BatchFactory, BatchQuotaFactory
from tests.reviews.publicity import another_enterprise, passed_application
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]


def national_batch(**kwargs):
    ministry = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key="CN")
    kwargs.setdefault("recommendations_open", True)
    return BatchFactory(
        authority=ministry,
        jurisdiction=ministry.jurisdiction,
        policy="dalian-2022-national",
        recommendation_deadline=clock.now() + timedelta(days=30),
        **kwargs,
    )


def test_the_dalian_city_round_ends_in_a_recommendation_to_the_nation():
    end = round_end("dalian-2022-national", "city")

    assert (end.lists, end.recommends_to, end.article) == (False, "national", "一")
    assert round_end("luoyang-2024", "city").lists
    assert round_end("jinan-2024", "city").lists
    assert round_end("dalian-2022-national", "national").lists


def test_dalian_sends_its_passed_applications_to_the_national_batch(demo):
    application = passed_application(demo, city="dalian")
    target = national_batch()

    [upper] = round_recommend(batch=application.batch, target=target, actor=demo["dalian-city"])

    application.refresh_from_db()
    assert application.status == Application.Status.PROMOTED
    assert (upper.batch, upper.status, upper.source_application) == (
        target,
        Application.Status.RECOMMENDED,
        application,
    )
    assert not Listing.objects.filter(organisation=application.organisation).exists()
    assert AuditEntry.objects.filter(action="recommend_upward", object_id=application.pk).exists()


def test_dalian_publishes_no_city_list(demo):
    application = passed_application(demo, city="dalian")

    with pytest.raises(DomainError, match="大连 一") as refused:
        publicity_start(
            batch=application.batch,
            actor=demo["dalian-city"],
            title="2026年度大连市绿色制造名单公示",
            contact="0411-00000000",
        )

    assert refused.value.code == "round_recommends"
    assert not Publicity.objects.exists()


def test_luoyang_keeps_its_list_and_does_not_recommend_from_the_round(demo):
    application = passed_application(demo, city="luoyang")

    with pytest.raises(DomainError) as refused:
        round_recommend(
            batch=application.batch, target=national_batch(), actor=demo["luoyang-city"]
        )

    assert refused.value.code == "round_lists"


def test_only_the_batchs_authority_recommends(demo):
    application = passed_application(demo, city="dalian")
    target = national_batch()

    for outsider in ("dalian-county", "luoyang-city", "liaoning", "nation"):
        with pytest.raises(NotPermitted):
            round_recommend(batch=application.batch, target=target, actor=demo[outsider])

    application.refresh_from_db()
    assert application.status == Application.Status.PASSED


def test_the_target_must_be_an_open_national_batch(demo):
    application = passed_application(demo, city="dalian")
    province = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key="210000")
    provincial = BatchFactory(
        authority=province, jurisdiction=province.jurisdiction, recommendations_open=True
    )
    closed = national_batch(recommendations_open=False)

    with pytest.raises(DomainError, match="不是可推荐的国家级批次"):
        round_recommend(batch=application.batch, target=provincial, actor=demo["dalian-city"])
    with pytest.raises(DomainError, match="已停止接收推荐"):
        round_recommend(batch=application.batch, target=closed, actor=demo["dalian-city"])


def test_the_national_quota_of_dalian_is_a_ceiling(demo):
    first = passed_application(demo, city="dalian")
    passed_application(
        demo, city="dalian", batch=first.batch, organisation=another_enterprise(demo, "dalian")
    )
    target = national_batch()
    BatchQuotaFactory(batch=target, county=Jurisdiction.objects.get(key="210200"), quota=1)

    with pytest.raises(DomainError, match="推荐名额为 1 个"):
        round_recommend(batch=first.batch, target=target, actor=demo["dalian-city"])

    assert not Application.objects.filter(batch=target).exists()


def test_the_batch_page_offers_the_recommendation_not_the_publicity(client, demo):
    application = passed_application(demo, city="dalian")
    target = national_batch()
    client.force_login(demo["dalian-city"])

    page = client.get(f"/batches/{application.batch.pk}/?tab=publicity").content.decode()
    assert "推荐至上级" in page and "发布公示" not in page

    response = client.post(
        f"/reviews/batches/{application.batch.pk}/recommend-upward/", {"target": target.pk}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.PROMOTED
    page = client.get(f"/reviews/batches/{application.batch.pk}/recommend-upward/")
    assert target.title in page.content.decode()


def test_the_api_recommends_and_refuses_another_citys_official(demo):
    application = passed_application(demo, city="dalian")
    target = national_batch()
    api = APIClient()
    api.force_authenticate(demo["luoyang-city"])
    payload = {"batch": application.batch.pk, "target": target.pk}

    assert api.post("/api/round-recommendations/", payload, format="json").status_code == 404

    api.force_authenticate(demo["dalian-city"])
    response = api.post("/api/round-recommendations/", payload, format="json")
    assert response.status_code == 201
    assert [row["batch"] for row in response.data] == [target.pk]
