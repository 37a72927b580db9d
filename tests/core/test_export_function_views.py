"""The function-view lists refuse an export with a filter they do not know, as the class-based
lists do (issue 16, "Bad input"): the applications inbox and the departments' opinions."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "url_name"),
    [
        ("luoyang-county", "applications:application-list"),
        ("luoyang-enterprise", "applications:application-list"),
        ("luoyang-county", "reviews:opinion-list"),
    ],
)
def test_an_export_with_an_unknown_filter_is_refused_with_the_reason(
    client, demo, username, url_name
):
    client.force_login(demo[username])

    response = client.get(reverse(url_name), {"regoin": "410311", "export": "xlsx"})

    assert response.status_code == 302
    [message] = list(get_messages(response.wsgi_request))
    assert "筛选条件“regoin”不存在" in str(message)


def test_an_export_with_known_filters_is_still_sent(client, demo):
    client.force_login(demo["luoyang-county"])

    response = client.get(reverse("applications:application-list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
