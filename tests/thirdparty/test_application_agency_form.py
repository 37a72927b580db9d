"""The applicant's side: the form names the agency and the one that helped write the
self-evaluation; refusals (independence, the cap with its count) come back next to the agency
field with everything else kept, on the page and in the API."""

import pytest
from django.urls import reverse

from applications.models import Application
from greenmfg.directory.models import Organisation
from tests.problems import field_errors
from tests.thirdparty.helpers import (
    batch_of,
    draft,
    engage_many,
    national_batch,
    qualified_agency,
)
from thirdparty.models import Engagement

pytestmark = pytest.mark.django_db


def edit_url(application) -> str:
    return reverse("applications:application-edit", args=[application.pk])


def post_draft(client, application, **fields):
    data = {"action": "save", "evaluation_mode": "third_party", **fields}
    return client.post(edit_url(application), {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def agency(demo):
    return qualified_agency()


@pytest.fixture
def drafted(client, demo):
    application, applicant = draft(batch_of("luoyang"))
    client.force_login(applicant)
    return application


def test_the_form_lists_only_active_agencies_for_both_fields(client, demo, drafted, agency):
    suspended = qualified_agency()
    suspended.status = Organisation.Status.DEACTIVATED
    suspended.save(update_fields=["status"])
    response = client.get(edit_url(drafted))
    form = response.context["meta_form"]
    for name in ("agency", "self_evaluation_helper"):
        choices = set(form.fields[name].queryset)
        assert agency in choices and suspended not in choices
        assert all(o.kind == Organisation.Kind.AGENCY for o in choices)
    assert "协助编写自评价报告的机构" in response.content.decode()


def test_design_products_have_neither_field(client, demo):
    application, applicant = draft(batch_of("luoyang"), unit_type="design_product")
    client.force_login(applicant)
    form = client.get(edit_url(application)).context["meta_form"]
    assert "agency" not in form.fields and "self_evaluation_helper" not in form.fields


def test_the_helper_is_saved_and_cleared(client, demo, drafted, agency):
    response = post_draft(client, drafted, evaluation_mode="self", self_evaluation_helper=agency.pk)
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.self_evaluation_helper == agency
    post_draft(client, drafted, evaluation_mode="self", self_evaluation_helper="")
    drafted.refresh_from_db()
    assert drafted.self_evaluation_helper is None


def test_naming_the_agency_that_helped_write_the_self_evaluation_is_refused(
    client, demo, drafted, agency
):
    post_draft(client, drafted, evaluation_mode="self", self_evaluation_helper=agency.pk)
    response = post_draft(
        client, drafted, agency=agency.pk, self_evaluation_helper=agency.pk, industry="水泥制造"
    )
    assert response.status_code == 400
    form = response.context["meta_form"]
    assert any("协助编写了本单位的自评价报告" in e for e in form.errors["agency"])
    # Everything else typed is kept: on the page, and what was valid in the draft.
    assert form["industry"].value() == "水泥制造"
    assert 'value="水泥制造"' in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.agency is None and drafted.industry == "水泥制造"
    assert not Engagement.objects.filter(application=drafted).exists()


def test_naming_the_helper_and_the_agency_at_once_is_refused(client, demo, drafted, agency):
    response = post_draft(client, drafted, agency=agency.pk, self_evaluation_helper=agency.pk)
    assert response.status_code == 400
    assert "协助编写了本单位的自评价报告" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.agency is None and drafted.self_evaluation_helper is None


def test_the_16th_engagement_is_refused_with_the_count_on_the_page(client, demo, agency):
    # 洛阳 第二十条 counts national projects: fifteen in one national batch, the 16th in another.
    engage_many(national_batch(), agency, 15)
    application, applicant = draft(national_batch())
    client.force_login(applicant)
    response = post_draft(client, application, agency=agency.pk, industry="钢铁冶炼")
    assert response.status_code == 400
    form = response.context["meta_form"]
    message, kept = form.errors["agency"]
    assert "已承担 15 项" in message and "第二十条" in message
    assert kept == "未采用该评价机构，仍为原来的选择。"
    assert form["agency"].value() in ("", None)  # the refused agency is not shown as chosen
    body = response.content.decode()
    assert "已承担 15 项" in body and 'value="钢铁冶炼"' in body
    application.refresh_from_db()
    assert application.agency is None and application.industry == "钢铁冶炼"
    assert Engagement.objects.filter(agency=agency, status="active").count() == 15


# --- the API ----------------------------------------------------------------------------------


def api_patch(client, application, payload):
    return client.patch(
        f"/api/applications/{application.pk}/", payload, content_type="application/json"
    )


def test_the_api_takes_the_helper_and_refuses_naming_it_as_agency(client, demo, drafted, agency):
    response = api_patch(client, drafted, {"self_evaluation_helper": agency.pk})
    assert response.status_code == 200 and response.json()["self_evaluation_helper"] == agency.pk
    response = api_patch(client, drafted, {"evaluation_mode": "third_party", "agency": agency.pk})
    assert response.status_code == 400
    assert "协助编写了本单位的自评价报告" in field_errors(response)["agency"][0]
    drafted.refresh_from_db()
    assert drafted.agency is None

    response = api_patch(client, drafted, {"self_evaluation_helper": None})
    assert response.status_code == 200 and response.json()["self_evaluation_helper"] is None


def test_the_api_refuses_the_16th_engagement_with_the_count(client, demo, agency):
    # 洛阳 第二十条 counts national projects: fifteen in one national batch, the 16th in another.
    engage_many(national_batch(), agency, 15)
    application, applicant = draft(national_batch())
    client.force_login(applicant)
    response = api_patch(
        client, application, {"evaluation_mode": "third_party", "agency": agency.pk}
    )
    assert response.status_code == 400
    (message,) = field_errors(response)["agency"]
    assert "已承担 15 项" in message
    assert Application.objects.get(pk=application.pk).agency is None


def test_declaring_afterwards_that_the_engaged_agency_helped_is_refused(
    client, demo, drafted, agency
):
    assert post_draft(client, drafted, agency=agency.pk).status_code == 302
    response = post_draft(
        client, drafted, agency=agency.pk, self_evaluation_helper=agency.pk, industry="造纸"
    )
    assert response.status_code == 400
    assert any(
        "协助编写了本单位的自评价报告" in e for e in response.context["meta_form"].errors["agency"]
    )
    drafted.refresh_from_db()
    assert drafted.agency == agency and drafted.self_evaluation_helper is None
    assert drafted.industry == "造纸"
