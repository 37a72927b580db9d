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
