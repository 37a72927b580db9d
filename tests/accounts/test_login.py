"""Login, throttling after five wrong passwords, logout, password change and reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1"
    )


def test_login_lands_on_dashboard(client, demo, settings):
    response = login(client, "luoyang-county", settings.DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_wrong_password_gets_clear_message(client, demo):
    response = login(client, "luoyang-county", "wrong")
    assert "用户名或密码错误" in response.content.decode()


def test_five_wrong_passwords_lock_the_account(client, demo, settings):
    for _ in range(4):
        assert login(client, "luoyang-county", "wrong").status_code == 200
    locked = login(client, "luoyang-county", "wrong")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    # Even the right password is refused while locked.
    again = login(client, "luoyang-county", settings.DEMO_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_affect_other_accounts(client, demo, settings):
    for _ in range(5):
        login(client, "luoyang-county", "wrong")
    assert login(client, "luoyang-city", settings.DEMO_PASSWORD).status_code == 302


def test_api_token_login_is_throttled_too(client, demo):
    for _ in range(5):
        client.post(
            reverse("api-token"),
            {"username": "jinan-city", "password": "wrong"},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.2",
        )
    response = client.post(
        reverse("api-token"),
        {"username": "jinan-city", "password": "wrong"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code in (403, 429)


def test_password_reset_by_email(client, demo):
    response = client.post(
        reverse("password_reset"), {"email": "luoyang-expert@demo.greenmfg.local"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-New-Pass-88", "new_password2": "Brand-New-Pass-88"},
    )
    assert done.status_code == 302
    assert login(client, "luoyang-expert", "Brand-New-Pass-88").status_code == 302


def test_password_change(client, demo, settings):
    client.force_login(demo["dalian-park"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Park-Changed-Pass-9",
            "new_password2": "Park-Changed-Pass-9",
        },
    )
    assert response.status_code == 302


def test_logout(client, demo):
    client.force_login(demo["dalian-park"])
    assert "您已安全退出" in client.post(reverse("logout")).content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
