"""Who may apply to which batch: a unit applies only where the batch's policy and level take
applications from units. A provincial or national candidate is recommended from the list below
(洛阳 第二十二条, 济南 第十二条, 大连 一: the city 遴选……推荐); a park applies as a park; 济南's
办法 has no design products.
"""

import pytest
from rest_framework.test import APIClient

from applications.models import Application, Batch
from applications.selectors.batches import open_batches_for
from applications.services.applications import application_create, application_transition
from greenmfg.core.errors import DomainError
from greenmfg.directory.models import Organisation
from tests.applications.helpers import city_batch
from tests.applications.test_submission import ready_application
from tests.factories import BatchFactory

pytestmark = pytest.mark.django_db


def bureau(key: str) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=key)


def batch_of(key: str, policy: str) -> Batch:
    authority = bureau(key)
    return BatchFactory(authority=authority, jurisdiction=authority.jurisdiction, policy=policy)


@pytest.mark.parametrize(
    ("applicant", "key", "policy", "article"),
    [
        ("luoyang-enterprise", "410000", "luoyang-2024", "洛阳 第二十二条"),
        ("luoyang-enterprise", "CN", "dalian-2022-national", "大连 一"),
        ("jinan-enterprise", "370000", "jinan-2024", "济南 第十二条"),
        ("jinan-park", "CN", "jinan-2024", "济南 第十二条"),
        ("dalian-enterprise", "CN", "dalian-2022-national", "大连 一"),
    ],
    ids=["luoyang-province", "luoyang-nation", "jinan-province", "jinan-park-nation", "dalian"],
)
def test_a_unit_cannot_apply_to_a_provincial_or_national_batch(
    demo, applicant, key, policy, article
):
    user = demo[applicant]
    batch = batch_of(key, policy)
    unit_type = "park" if applicant.endswith("park") else "factory"

    assert batch not in open_batches_for(organisation=user.organisation)
    with pytest.raises(DomainError) as refused:
        application_create(actor=user, batch=batch, unit_type=unit_type)
    assert refused.value.code == "intake" and article in refused.value.message
    assert not Application.objects.filter(batch=batch).exists()


def test_the_city_batch_is_offered_and_accepted(demo):
    user = demo["jinan-enterprise"]
    batch = city_batch("370100", policy="jinan-2024")

    assert batch in open_batches_for(organisation=user.organisation)
    assert application_create(actor=user, batch=batch, unit_type="factory").pk


def test_the_new_application_form_offers_a_jinan_park_only_the_park(client, demo):
    city = city_batch("370100", policy="jinan-2024")
    national = batch_of("CN", "dalian-2022-national")
    client.force_login(demo["jinan-park"])

    page = client.get("/applications/new/").content.decode()

    assert city.title in page and national.title not in page
    assert 'value="park"' in page
    for other in ("design_product", "factory", "supply_chain"):
        assert f'value="{other}"' not in page


def test_the_form_refuses_a_design_product_in_a_jinan_batch(client, demo):
    batch = city_batch("370100", policy="jinan-2024")
    client.force_login(demo["jinan-enterprise"])

    response = client.post(
        "/applications/new/",
        {"batch": batch.pk, "unit_type": "design_product", "product_name": "节能电机"},
    )

    assert response.status_code == 200
    assert not Application.objects.exists()
    assert "design_product" not in response.context["form"].fields["unit_type"].choices.__repr__()


def test_the_api_refuses_a_national_batch_with_the_article(demo):
    batch = batch_of("CN", "dalian-2022-national")
    api = APIClient()
    api.force_authenticate(demo["dalian-enterprise"])

    response = api.post(
        "/api/applications/", {"batch": batch.pk, "unit_type": "factory"}, format="json"
    )

    assert response.status_code == 400
    assert "大连 一" in str(response.data)


def test_submission_judges_the_intake_again_under_the_lock(demo):
    """A batch moved to another level after the draft began no longer takes the submission."""
    application, applicant = ready_application(demo)
    province = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key="410000")
    Batch.objects.filter(pk=application.batch_id).update(
        authority=province, jurisdiction=province.jurisdiction
    )

    with pytest.raises(DomainError) as refused:
        application_transition(application=application, action="submit", actor=applicant)

    assert any("洛阳 第二十二条" in reason for reason in refused.value.reasons)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
