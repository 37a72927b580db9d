"""Saving drafts: good values are kept, bad ones come back with a clear message."""

import pytest

from applications.services.applications import application_create, application_save_draft
from tests.applications.helpers import city_batch
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def park_application(demo):
    return application_create(actor=demo["luoyang-park"], batch=city_batch(), unit_type="park")


def test_valid_facts_are_saved(demo, park_application):
    application, errors = application_save_draft(
        application=park_application,
        actor=demo["luoyang-park"],
        facts={"industrial_value_added_share": "62.5", "has_legal_boundary": "true"},
    )
    assert errors == {}
    assert application.facts == {"industrial_value_added_share": 62.5, "has_legal_boundary": True}


def test_percentage_of_120_is_refused_and_other_values_kept(demo, park_application):
    application, errors = application_save_draft(
        application=park_application,
        actor=demo["luoyang-park"],
        facts={"industrial_value_added_share": "120", "has_legal_boundary": "true"},
    )
    assert "应在 0 到 100 之间，您填写了 120" in errors["industrial_value_added_share"][0]
    application.refresh_from_db()
    assert application.facts == {"has_legal_boundary": True}


def test_page_shows_error_and_keeps_what_was_typed(client, demo, park_application):
    client.force_login(demo["luoyang-park"])
    response = client.post(
        f"/applications/{park_application.pk}/edit/",
        {
            "industrial_value_added_share": "120",
            "months_halted_consecutive": "3",
            "evaluation_mode": "self",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "您填写了 120" in body
    assert 'value="120"' in body
    park_application.refresh_from_db()
    assert park_application.facts["months_halted_consecutive"] == 3


def test_text_in_a_number_field_is_refused(demo, park_application):
    _application, errors = application_save_draft(
        application=park_application,
        actor=demo["luoyang-park"],
        facts={"months_halted_consecutive": "三个月"},
    )
    assert "应为数字" in errors["months_halted_consecutive"][0]


def test_autosave_answers_json(client, demo, park_application):
    client.force_login(demo["luoyang-park"])
    response = client.post(
        f"/applications/{park_application.pk}/edit/",
        {"has_unified_management": "true", "evaluation_mode": "self"},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 200 and response.json()["errors"] == {}
    park_application.refresh_from_db()
    assert park_application.facts["has_unified_management"] is True


def test_api_refuses_bad_value_and_changes_nothing(client, demo, park_application):
    client.force_login(demo["luoyang-park"])
    response = client.patch(
        f"/api/applications/{park_application.pk}/",
        {"facts": {"industrial_value_added_share": 120, "has_legal_boundary": True}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "0 到 100" in field_errors(response)["industrial_value_added_share"][0]
    park_application.refresh_from_db()
    assert park_application.facts == {}


def test_design_product_cannot_choose_third_party(demo):
    application = application_create(
        actor=demo["luoyang-enterprise"],
        batch=city_batch(),
        unit_type="design_product",
        product_name="节能电机",
    )
    _application, errors = application_save_draft(
        application=application, actor=demo["luoyang-enterprise"], evaluation_mode="third_party"
    )
    assert "第十一条" in errors["evaluation_mode"][0]


def test_other_enterprise_cannot_edit(client, demo, park_application):
    client.force_login(demo["luoyang-enterprise2"])
    assert client.get(f"/applications/{park_application.pk}/edit/").status_code == 404
    response = client.patch(
        f"/api/applications/{park_application.pk}/", {"facts": {}}, content_type="application/json"
    )
    assert response.status_code == 404
