import pytest

from applications.models import Application
from applications.services.applications import application_create
from greenmfg.core.errors import DomainError, NotPermitted
from tests.applications.helpers import city_batch

pytestmark = pytest.mark.django_db


def test_enterprise_creates_draft_in_open_batch(demo):
    batch = city_batch()
    application = application_create(
        actor=demo["luoyang-enterprise"], batch=batch, unit_type="factory"
    )
    assert application.status == Application.Status.DRAFT
    assert application.jurisdiction.key == "410311"


def test_batch_of_another_city_is_refused(demo):
    batch = city_batch("370100", policy="jinan-2024")
    with pytest.raises(DomainError, match="不受理本地区"):
        application_create(actor=demo["luoyang-enterprise"], batch=batch, unit_type="factory")


def test_closed_batch_is_refused(demo):
    batch = city_batch(status="closed")
    with pytest.raises(DomainError, match="不在申报期内"):
        application_create(actor=demo["luoyang-enterprise"], batch=batch, unit_type="factory")


def test_park_cannot_apply_as_factory(demo):
    with pytest.raises(DomainError, match="不能申报绿色工厂"):
        application_create(actor=demo["luoyang-park"], batch=city_batch(), unit_type="factory")


def test_unit_type_the_batch_does_not_accept_is_refused(demo):
    batch = city_batch(unit_types=["factory"])
    with pytest.raises(DomainError, match="不受理绿色供应链管理企业"):
        application_create(actor=demo["luoyang-enterprise"], batch=batch, unit_type="supply_chain")


def test_design_product_needs_a_product_name(demo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        application_create(
            actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="design_product"
        )


def test_second_application_of_same_type_is_refused(demo):
    batch = city_batch()
    application_create(actor=demo["luoyang-enterprise"], batch=batch, unit_type="factory")
    with pytest.raises(DomainError, match="已有同类型的申报"):
        application_create(actor=demo["luoyang-enterprise"], batch=batch, unit_type="factory")


def test_officials_cannot_create_applications(demo):
    with pytest.raises(NotPermitted):
        application_create(actor=demo["luoyang-county"], batch=city_batch(), unit_type="factory")


def test_create_page_and_api(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-enterprise"])
    page = client.get("/applications/new/", {"batch": batch.pk, "unit_type": "factory"})
    assert batch.title in page.content.decode()
    response = client.post("/applications/new/", {"batch": batch.pk, "unit_type": "supply_chain"})
    assert response.status_code == 302
    api = client.post(
        "/api/applications/",
        {"batch": batch.pk, "unit_type": "factory"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.json()
