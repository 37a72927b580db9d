"""The import API: upload (the preview comes back), the rows errors first, apply."""

import pytest
from rest_framework.test import APIClient

from registry.models import Listing
from tests.factories.imports import listing_row, upload, xlsx_bytes, xlsx_upload

URL = "/api/imports/listings/"


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_upload_preview_and_apply(demo):
    api = api_as(demo["luoyang-city"])
    rows = [listing_row(单位名称="甲公司"), listing_row(单位名称="乙公司", 所在地区="不存在县")]
    response = api.post(URL, {"file": xlsx_upload(rows)}, format="multipart")
    assert response.status_code == 201, response.json()
    run = response.json()
    assert (run["state"], run["new"], run["errors"]) == ("previewed", 1, 1)

    page = api.get(f"{URL}{run['id']}/rows/").json()
    assert page["results"][0]["outcome"] == "error"
    assert page["results"][0]["row"] == 3 and page["results"][0]["column"] == "所在地区"

    refused = api.post(f"{URL}{run['id']}/apply/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "rows_in_error"
    assert not Listing.objects.exists()

    applied = api.post(f"{URL}{run['id']}/apply/", {"keep_good_rows": True}, format="json")
    assert applied.status_code == 200, applied.json()
    assert applied.json()["state"] == "applied" and applied.json()["written"] == 1
    assert Listing.objects.get().unit_name == "甲公司"


def test_a_bad_file_is_a_400_with_the_reason(demo):
    api = api_as(demo["luoyang-city"])
    response = api.post(URL, {"file": upload(b"%PDF-1.7 x", "a.xlsx")}, format="multipart")
    assert response.status_code == 400
    assert "不是 Excel" in response.json()["detail"]


def test_runs_are_their_uploaders_own(demo):
    mine = api_as(demo["luoyang-city"]).post(
        URL, {"file": upload(xlsx_bytes([listing_row()]))}, format="multipart"
    )
    other = api_as(demo["jinan-city"])
    assert other.get(f"{URL}{mine.json()['id']}/").status_code == 404
    assert other.post(f"{URL}{mine.json()['id']}/apply/", {}, format="json").status_code == 404


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-agency"])
def test_only_officials_may_use_it(demo, username):
    response = api_as(demo[username]).post(
        URL, {"file": xlsx_upload([listing_row()])}, format="multipart"
    )
    assert response.status_code == 403
