"""The error pages: in Chinese, in the portal's layout, saying only what is for users."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_a_missing_record_is_a_chinese_404_without_djangos_english(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.get("/applications/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "不在您的查看范围内" in body
    assert "matches the given query" not in body and "Not Found" not in body


def test_our_own_reason_is_shown(client, demo):
    response = client.get("/mingdan/units/999999/")
    assert response.status_code == 404
    assert "该单位不在已发布的绿色制造名单中。" in response.content.decode()


def test_a_server_error_is_a_chinese_page_that_needs_nothing():
    with override_settings(ROOT_URLCONF="tests.core.broken_urls"):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in response.content.decode()


def test_a_form_without_its_csrf_token_is_a_chinese_403_page(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["luoyang-enterprise"])
    response = client.post("/applications/new/", {"batch": "1"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，提交未被处理" in body and "已填写的内容通常仍在" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
    # In the portal's layout, with the signed-in user's menu.
    assert 'aria-label="主导航"' in body


def test_a_session_write_to_the_api_without_csrf_is_a_problem_document(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["luoyang-enterprise"])
    response = client.post("/api/v1/applications/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 403
