"""原则上 on the pages, in the API and in the summary PDF: the applicant writes its reason beside
the finding, the county accepts it with its own, the city reads both."""

import pytest
from rest_framework.test import APIClient

from applications.services.applications import (
    application_precheck,
    application_save_draft,
    application_transition,
)
from applications.services.exceptions import exception_accept, exception_state
from tests.applications.test_submission import ready_application
from tests.applications.test_summary_pdf import text_of

pytestmark = pytest.mark.django_db

CODE = "park.value_added_share"
REASON = "园区在建项目投产后工业增加值占比将于明年超过45%，已附规划说明。"
COUNTY_REASON = "经核实园区在建项目属实，同意按例外情形推荐。"


@pytest.fixture
def park_at_44(demo):
    """A 济南 park with an industrial value-added share of 44% (济南 第七条: 原则上不低于45%)."""
    application, applicant = ready_application(
        demo, city="jinan", policy="jinan-2024", city_key="370100", unit_type="park"
    )
    application, _errors = application_save_draft(
        application=application, actor=applicant, facts={"industrial_value_added_share": 44}
    )
    application_precheck(application=application, actor=applicant)
    return application, applicant


def test_the_edit_page_asks_for_a_reason_beside_the_finding(client, park_at_44):
    application, applicant = park_at_44
    client.force_login(applicant)

    page = client.get(f"/applications/{application.pk}/edit/").content.decode()

    assert "原则上条件的例外说明" in page
    assert "第七条" in page and 'name="reason"' in page


def test_a_short_reason_comes_back_with_its_message_and_the_text_kept(client, park_at_44):
    application, applicant = park_at_44
    client.force_login(applicant)

    response = client.post(
        f"/applications/{application.pk}/principle-reason/", {"code": CODE, "reason": "明年达标"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "不少于 10 个字" in page and "第七条" in page
    assert "明年达标</textarea>" in page
    assert not application.principle_exceptions.exists()


def test_the_applicant_submits_on_the_page_once_the_reason_is_saved(client, park_at_44):
    application, applicant = park_at_44
    client.force_login(applicant)

    response = client.post(
        f"/applications/{application.pk}/principle-reason/", {"code": CODE, "reason": REASON}
    )
    assert response.status_code == 302
    response = client.post(
        f"/applications/{application.pk}/edit/", {"action": "submit", "evaluation_mode": "self"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_county_accepts_on_the_page_and_the_city_reads_both_reasons(client, demo, park_at_44):
    application, applicant = park_at_44
    exception_state(application=application, actor=applicant, code=CODE, reason=REASON)
    application_transition(application=application, action="submit", actor=applicant)
    county = demo["jinan-county"]
    application_transition(application=application, action="start_review", actor=county)
    client.force_login(county)

    short = client.post(
        f"/applications/{application.pk}/principle-accept/", {"code": CODE, "reason": "同意"}
    )
    assert short.status_code == 400
    assert "同意</textarea>" in short.content.decode()
    accepted = client.post(
        f"/applications/{application.pk}/principle-accept/",
        {"code": CODE, "reason": COUNTY_REASON},
    )
    assert accepted.status_code == 302

    client.force_login(demo["jinan-city"])
    page = client.get(f"/applications/{application.pk}/?tab=data").content.decode()
    assert REASON in page and COUNTY_REASON in page
    trail = client.get(f"/applications/{application.pk}/?tab=audit").content.decode()
    assert "认可原则上条件的理由" in trail  # the audit trail


def test_another_countys_official_cannot_accept(client, demo, park_at_44):
    application, applicant = park_at_44
    exception_state(application=application, actor=applicant, code=CODE, reason=REASON)
    application_transition(application=application, action="submit", actor=applicant)
    application_transition(
        application=application, action="start_review", actor=demo["jinan-county"]
    )
    client.force_login(demo["luoyang-county"])

    response = client.post(
        f"/applications/{application.pk}/principle-accept/",
        {"code": CODE, "reason": COUNTY_REASON},
    )

    assert response.status_code == 404
    assert not application.principle_exceptions.get().is_accepted


def test_the_api_takes_the_reason_and_the_acceptance_and_shows_both(demo, park_at_44):
    application, applicant = park_at_44
    api = APIClient()
    api.force_authenticate(applicant)
    url = f"/api/applications/{application.pk}/principle-reasons/"

    refused = api.post(url, {"code": "park.legal_boundary", "reason": REASON}, format="json")
    assert refused.status_code == 400
    short = api.post(url, {"code": CODE, "reason": "短"}, format="json")
    assert short.status_code == 400 and "第七条" in str(short.data)
    assert api.post(url, {"code": CODE, "reason": REASON}, format="json").status_code == 200
    assert api.post(f"/api/applications/{application.pk}/submit/").status_code == 200

    county = demo["jinan-county"]
    application_transition(application=application, action="start_review", actor=county)
    api.force_authenticate(county)
    accepted = api.post(
        f"/api/applications/{application.pk}/principle-reasons/accept/",
        {"code": CODE, "reason": COUNTY_REASON},
        format="json",
    )
    assert accepted.status_code == 200
    [shown] = accepted.data["principle_exceptions"]
    assert shown["code"] == CODE and "第七条" in shown["citation"]
    assert (shown["reason"], shown["county_reason"], shown["is_accepted"]) == (
        REASON,
        COUNTY_REASON,
        True,
    )


def test_the_summary_pdf_shows_the_exception_and_both_reasons(client, demo, park_at_44):
    application, applicant = park_at_44
    exception_state(application=application, actor=applicant, code=CODE, reason=REASON)
    application_transition(application=application, action="submit", actor=applicant)
    county = demo["jinan-county"]
    application_transition(application=application, action="start_review", actor=county)
    exception_accept(application=application, actor=county, code=CODE, reason=COUNTY_REASON)
    client.force_login(demo["jinan-city"])

    text = text_of(client.get(f"/applications/{application.pk}/pdf/")).replace("\n", "")

    assert "原则上条件的例外说明" in text
    assert "园区在建项目投产后" in text and "经核实园区在建项目属实" in text
