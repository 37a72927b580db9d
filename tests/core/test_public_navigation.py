"""Everyone, signed in or not, finds the public announcements (公示公告) in the menu."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_the_public_announcements_link(client):
    html = client.get("/accounts/login/").content.decode()

    assert 'href="/gongshi/"' in html and "公示公告" in html


def test_officials_see_publicity_management_and_the_public_page(client, demo):
    client.force_login(demo["luoyang-city"])

    html = client.get("/dashboard/").content.decode()

    assert 'href="/reviews/publicity/"' in html and 'href="/gongshi/"' in html
