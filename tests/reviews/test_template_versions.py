"""评分模板版本: administrators add versions (a copy with an industry's values), batches choose
them, sheets keep them; a saved version never changes and is retired rather than deleted."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from greenmfg.core.errors import NotPermitted
from reviews.models import ScoringTemplateVersion
from reviews.scoring_templates import TEMPLATES
from reviews.selectors.sheet import sheet_template
from reviews.selectors.template import available_templates, template_by_key
from reviews.services.phase import batch_update_review_settings
from reviews.services.sheet import sheet_open
from reviews.services.template import (
    template_definition_based_on,
    template_version_create,
    template_version_set_active,
)
from reviews.template_format import template_from_dict, template_to_dict
from tests.applications.helpers import city_batch
from tests.reviews.test_sheets import reviewing_application

pytestmark = pytest.mark.django_db


def steel_definition(version="2025-steel"):
    definition = template_definition_based_on(
        key="green-factory@2025", code="green-factory", version=version, title="绿色工厂（钢铁）"
    )
    first = definition["groups"][0]["indicators"][0]
    first.update(baseline="560", leading="510")  # an industry's own 基准值 and 引领值
    return definition


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_shipped_template_reads_back_from_its_data(key):
    assert template_from_dict(template_to_dict(TEMPLATES[key])) == TEMPLATES[key]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("groups"), "缺少列表「groups」"),
        (lambda d: d["groups"][0].update(weight="31"), "各组权重之和为 101"),
        (lambda d: d["groups"][1]["indicators"][0].update(required="yes"), "第 2 个指标组的第 1"),
        (lambda d: d["groups"][0]["indicators"][0].update(leading="560"), "基准值与引领值相同"),
        (lambda d: d.update(unit_type="school"), "单位类型应为"),
        (lambda d: d["basic_requirements"].append("依法设立"), "第 6 项基本要求应为对象"),
    ],
    ids=["no-groups", "weights", "required-flag", "baseline-equals-leading", "type", "row"],
)
def test_a_wrong_definition_is_refused_saying_where(change, message):
    definition = steel_definition()
    change(definition)

    with pytest.raises(ValueError, match=message):
        template_from_dict(definition)


def test_a_float_value_is_kept_exactly():
    definition = steel_definition()
    definition["groups"][0]["indicators"][0].update(baseline=0.3, leading=0.1)

    indicator = template_from_dict(definition).groups[0].indicators[0]

    assert (indicator.baseline, indicator.leading) == (Decimal("0.3"), Decimal("0.1"))


def test_an_administrator_adds_a_version_that_batches_then_offer(demo):
    record = template_version_create(actor=demo["admin"], definition=steel_definition())

    assert (record.key, record.unit_type, record.title) == (
        "green-factory@2025-steel",
        "factory",
        "绿色工厂（钢铁）",
    )
    template = template_by_key(record.key)
    assert template.groups[0].indicators[0].baseline == Decimal("560")
    assert record.key in [t.key for t in available_templates("factory")]


def test_only_administrators_add_and_retire_versions(demo):
    with pytest.raises(NotPermitted, match="系统管理员"):
        template_version_create(actor=demo["luoyang-city"], definition=steel_definition())
    record = template_version_create(actor=demo["admin"], definition=steel_definition())
    with pytest.raises(NotPermitted):
        template_version_set_active(record=record, actor=demo["luoyang-city"], active=False)


@pytest.mark.parametrize(("version", "message"), [("2025", "内置模板"), ("2025-steel", "已存在")])
def test_a_version_is_never_overwritten(demo, version, message):
    template_version_create(actor=demo["admin"], definition=steel_definition())

    with pytest.raises(ValidationError, match=message):
        template_version_create(actor=demo["admin"], definition=steel_definition(version))


def test_a_batch_scores_with_an_added_version_and_a_retired_one_is_not_offered(demo):
    admin = demo["admin"]
    record = template_version_create(actor=admin, definition=steel_definition())
    application, [assignment] = reviewing_application(demo)
    batch = application.batch

    batch_update_review_settings(
        batch=batch, actor=demo["luoyang-city"], scoring_templates={"factory": record.key}
    )
    sheet = sheet_open(assignment=assignment, actor=assignment.expert)
    assert sheet.template_key == record.key
    assert sheet_template(sheet).title == "绿色工厂（钢铁）"

    template_version_set_active(record=record, actor=admin, active=False)
    assert record.key not in [t.key for t in available_templates("factory")]
    assert sheet_template(sheet).key == record.key  # a sheet keeps its template
    with pytest.raises(ValidationError, match="已停用"):
        batch_update_review_settings(
            batch=city_batch(),
            actor=demo["luoyang-city"],
            scoring_templates={"factory": record.key},
        )


def test_the_admin_copies_a_shipped_template_into_a_new_version(client, demo):
    client.force_login(demo["admin"])

    response = client.post(
        "/admin/reviews/scoringtemplateversion/add/",
        {
            "based_on": "green-park@2016",
            "new_code": "green-park",
            "new_version": "2016-chemical",
            "new_title": "绿色园区（化工园区）",
            "definition": "",
            "notes": "化工园区适用",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    record = ScoringTemplateVersion.objects.get()
    assert (record.key, record.unit_type, record.notes) == (
        "green-park@2016-chemical",
        "park",
        "化工园区适用",
    )
    page = client.get(f"/admin/reviews/scoringtemplateversion/{record.pk}/change/")
    assert "模板结构" in page.content.decode()
    assert (
        client.post(f"/admin/reviews/scoringtemplateversion/{record.pk}/delete/").status_code == 403
    )


def test_the_admin_shows_what_is_wrong_with_a_definition(client, demo):
    client.force_login(demo["admin"])
    definition = steel_definition()
    definition["groups"][0]["weight"] = "31"

    import json

    response = client.post(
        "/admin/reviews/scoringtemplateversion/add/",
        {"definition": json.dumps(definition, ensure_ascii=False), "notes": ""},
    )

    assert response.status_code == 200
    assert "各组权重之和为 101" in response.content.decode()
    assert not ScoringTemplateVersion.objects.exists()


def test_templates_through_the_api(client, demo):
    client.force_login(demo["luoyang-city"])
    listed = client.get("/api/scoring-templates/?unit_type=factory").json()
    assert {row["key"] for row in listed} == {"green-factory@2018", "green-factory@2025"}
    detail = client.get("/api/scoring-templates/green-factory@2025/").json()
    assert detail["built_in"] and detail["definition"]["groups"]
    refused = client.post(
        "/api/scoring-templates/",
        {"definition": steel_definition()},
        content_type="application/json",
    )
    assert refused.status_code == 403

    client.force_login(demo["admin"])
    created = client.post(
        "/api/scoring-templates/",
        {"definition": steel_definition()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["key"] == "green-factory@2025-steel"
    assert client.get("/api/scoring-templates/green-factory@1999/").status_code == 404
