"""The applicant's form asks about 失信被执行人 as the documents do: 近三年, with no 「且未被移出」
(洛阳 第十五条(六), 济南 第六条5, 大连 一), so the question says a removed listing still counts."""

import pytest

from applications.facts import applicant_specs
from applications.services.applications import application_create
from greenmfg.rules import fact_schema
from tests.applications.helpers import city_batch

LABEL = "近三年曾被列为失信被执行人（含已移出）"


@pytest.mark.parametrize(
    ("policy", "unit_type"),
    [
        ("luoyang-2024", "factory"),
        ("jinan-2024", "factory"),
        ("dalian-2022-national", "supply_chain"),
    ],
    ids=["luoyang", "jinan", "dalian"],
)
def test_the_dishonest_debtor_question_names_the_three_year_look_back(policy, unit_type):
    spec = next(s for s in fact_schema(policy, unit_type) if s.key == "dishonest_judgment_debtor")

    assert spec.label == LABEL
    assert spec in applicant_specs(policy, unit_type)


@pytest.mark.django_db
def test_the_applicant_form_shows_the_three_year_label(client, demo):
    application = application_create(
        actor=demo["luoyang-park"], batch=city_batch(), unit_type="park"
    )
    client.force_login(demo["luoyang-park"])

    page = client.get(f"/applications/{application.pk}/edit/").content.decode()

    assert LABEL in page
    assert ">被列为失信被执行人<" not in page
