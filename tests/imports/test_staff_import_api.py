"""The staff import API: upload (the preview comes back), the rows errors first, apply."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from greenmfg.accounts.models import User
from tests.factories.staff_imports import staff_row, staff_upload

URL = "/api/imports/staff/"


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_upload_preview_and_apply(demo, django_capture_on_commit_callbacks):
    api = api_as(demo["luoyang-city"])
    rows = [staff_row(用户名="api-good"), staff_row(用户名="api-bad", 电子邮箱="not-an-email")]
    response = api.post(URL, {"file": staff_upload(rows)}, format="multipart")
    assert response.status_code == 201, response.json()
    run = response.json()
    assert (run["state"], run["new"], run["errors"]) == ("previewed", 1, 1)

    page = api.get(f"{URL}{run['id']}/rows/").json()
    first = page["results"][0]
    assert (first["outcome"], first["row"], first["column"]) == ("error", 3, "电子邮箱")

    refused = api.post(f"{URL}{run['id']}/apply/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "rows_in_error"
    assert not User.objects.filter(username="api-good").exists()

    with django_capture_on_commit_callbacks(execute=True):
        applied = api.post(f"{URL}{run['id']}/apply/", {"keep_good_rows": True}, format="json")
    assert applied.status_code == 200, applied.json()
    assert (applied.json()["state"], applied.json()["written"]) == ("applied", 1)
    assert User.objects.filter(username="api-good").exists()
    assert [message.to for message in mail.outbox] == [[rows[0]["电子邮箱"]]]


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-enterprise"])
def test_refused_to_others(demo, username):
    response = api_as(demo[username]).post(
        URL, {"file": staff_upload([staff_row()])}, format="multipart"
    )
    assert response.status_code == 403


def test_runs_are_their_uploaders_own(demo):
    mine = api_as(demo["luoyang-city"]).post(
        URL, {"file": staff_upload([staff_row()])}, format="multipart"
    )
    other = api_as(demo["jinan-city"])
    assert other.get(f"{URL}{mine.json()['id']}/").status_code == 404
