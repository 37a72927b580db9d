"""The expert import API: upload (the preview comes back), the rows errors first, apply."""

import pytest
from rest_framework.test import APIClient

from reviews.models import ExpertMembership
from tests.factories.expert_imports import expert_row, experts_xlsx

URL = "/api/imports/experts/"


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_upload_preview_and_apply(demo):
    api = api_as(demo["luoyang-city"])
    rows = [expert_row(姓名="甲专家"), expert_row(姓名="乙专家", 专家库="济南市工业和信息化局")]
    response = api.post(URL, {"file": experts_xlsx(rows)}, format="multipart")
    assert response.status_code == 201, response.json()
    run = response.json()
    assert (run["kind"], run["state"], run["new"], run["errors"]) == ("experts", "previewed", 1, 1)

    page = api.get(f"{URL}{run['id']}/rows/").json()
    assert page["results"][0]["outcome"] == "error"
    assert (page["results"][0]["row"], page["results"][0]["column"]) == (3, "专家库")

    refused = api.post(f"{URL}{run['id']}/apply/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "rows_in_error"
    assert not ExpertMembership.objects.exists()

    applied = api.post(f"{URL}{run['id']}/apply/", {"keep_good_rows": True}, format="json")
    assert applied.status_code == 200, applied.json()
    assert (applied.json()["state"], applied.json()["written"]) == ("applied", 1)
    assert ExpertMembership.objects.get().expert.full_name == "甲专家"


def test_the_listing_runs_are_not_listed_here(demo):
    api = api_as(demo["luoyang-city"])
    api.post(URL, {"file": experts_xlsx([expert_row()])}, format="multipart")
    assert [run["kind"] for run in api.get(URL).json()["results"]] == ["experts"]


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-enterprise", "luoyang-expert"])
def test_only_pool_keepers_may_use_it(demo, username):
    response = api_as(demo[username]).post(
        URL, {"file": experts_xlsx([expert_row()])}, format="multipart"
    )
    assert response.status_code == 403
