"""Officials register organisations: wrong codes and duplicates are refused, nothing half-saved."""

import pytest
from django.urls import reverse

from greenmfg.audit.models import AuditEntry
from greenmfg.directory.models import Organisation
from tests.factories import valid_credit_code
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "name": "洛阳新材料科技有限公司",
        "kind": "enterprise",
        "jurisdiction": "410311",
        "credit_code": valid_credit_code("410311"),
        "address": "洛阳市洛龙区开元大道1号",
    }
    return {**data, **overrides}


def test_official_creates_organisation_by_api_with_audit_entry(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.post("/api/organisations/", payload(), content_type="application/json")
    assert response.status_code == 201, response.json()
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.status == Organisation.Status.ACTIVE
    entry = AuditEntry.objects.get(object_id=str(organisation.pk))
    assert entry.actor == demo["luoyang-county"] and entry.action == "create"


def test_wrong_credit_code_is_refused_with_clear_message(client, demo):
    client.force_login(demo["luoyang-county"])
    code = valid_credit_code("410311")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post(
        "/api/organisations/", payload(credit_code=wrong), content_type="application/json"
    )
    assert response.status_code == 400
    assert "校验位错误" in field_errors(response)["credit_code"][0]
    assert not Organisation.objects.filter(name="洛阳新材料科技有限公司").exists()


def test_duplicate_credit_code_is_refused_naming_the_holder(client, demo):
    existing = demo["luoyang-enterprise"].organisation
    client.force_login(demo["luoyang-county"])
    response = client.post(
        "/api/organisations/",
        payload(credit_code=existing.credit_code),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["existing_id"] == existing.pk
    assert existing.name in field_errors(response)["credit_code"][0]
    assert Organisation.objects.filter(credit_code=existing.credit_code).count() == 1


def test_duplicate_name_in_same_jurisdiction_is_refused(client, demo):
    existing = demo["luoyang-enterprise"].organisation
    client.force_login(demo["luoyang-county"])
    response = client.post(
        "/api/organisations/", payload(name=existing.name), content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["existing_id"] == existing.pk
    assert "已登记" in field_errors(response)["name"][0]


def test_creating_outside_ones_jurisdiction_is_refused(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        "/api/organisations/", payload(jurisdiction="410307"), content_type="application/json"
    )
    assert response.status_code == 403
    assert "不在您的管辖范围内" in response.json()["detail"]


def test_enterprise_user_cannot_create_organisations(client, demo):
    client.force_login(demo["luoyang-enterprise"])
    response = client.post("/api/organisations/", payload(), content_type="application/json")
    assert response.status_code == 403


def test_create_page_shows_error_and_keeps_input(client, demo):
    client.force_login(demo["luoyang-county"])
    county = demo["luoyang-county"].organisation.jurisdiction
    data = payload(credit_code="91410311MA0000001X", jurisdiction=county.pk)
    response = client.post(reverse("directory:organisation-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "校验位错误" in body
    assert "洛阳新材料科技有限公司" in body and "开元大道1号" in body


def test_create_page_saves_and_redirects(client, demo):
    client.force_login(demo["luoyang-county"])
    county = demo["luoyang-county"].organisation.jurisdiction
    response = client.post(
        reverse("directory:organisation-create"), payload(jurisdiction=county.pk)
    )
    organisation = Organisation.objects.get(name="洛阳新材料科技有限公司")
    assert response.status_code == 302
    assert response.url == reverse("directory:organisation-detail", args=[organisation.pk])


def test_enterprise_without_credit_code_is_refused(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        "/api/organisations/", payload(credit_code=""), content_type="application/json"
    )
    assert response.status_code == 400
    assert "须填写统一社会信用代码" in field_errors(response)["credit_code"][0]


def test_county_cannot_register_its_own_level_bureau(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        "/api/organisations/",
        payload(kind="bureau", credit_code="", name="另一个工信局"),
        content_type="application/json",
    )
    assert response.status_code == 403
