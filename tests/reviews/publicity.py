"""Arrangements for the publicity, listing and promotion tests: decided applications."""

import datetime

from django.utils import timezone

from applications.services.applications import application_transition
from reviews.models import Publicity
from reviews.services.publicity import publicity_start
from tests.applications.helpers import city_batch
from tests.factories import (
    ApplicationFactory,
    ExpertAssignmentFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.reviews.test_sheets import BOUNDARY, new_expert, submit_scores

CITIES = {
    "luoyang": ("410300", "luoyang-2024"),
    "jinan": ("370100", "jinan-2024"),
    "dalian": ("210200", "dalian-2022-national"),
}


def passed_application(demo, *, total="88", city="luoyang", batch=None, organisation=None):
    """An application of ``city`` scored ``total`` by three experts and decided as passed."""
    application, assignments = _scored(demo, city=city, organisation=organisation, batch=batch)
    submit_scores(assignments, [total] * 3)
    city_official = demo[f"{city}-city"]
    application_transition(application=application, action="decide_pass", actor=city_official)
    application.refresh_from_db()
    return application


def _scored(demo, *, city, organisation, batch=None):
    """An application in expert review with three new experts on its panel (the boundary
    template: a sheet's total is the points given; needs the ``boundary_template`` fixture)."""
    key, policy = CITIES[city]
    batch = batch or city_batch(key, policy, scoring_templates={"factory": BOUNDARY.key})
    if organisation is None:
        organisation = demo[f"{city}-enterprise"].organisation
    creator = organisation.users.first() or UserFactory(organisation=organisation)
    application = ApplicationFactory(
        batch=batch, organisation=organisation, created_by=creator, status="expert_review"
    )
    assignments = [
        ExpertAssignmentFactory(
            application=application, expert=new_expert(), assigned_by=demo[f"{city}-city"]
        )
        for _ in range(3)
    ]
    return application, assignments


def another_enterprise(demo, city="luoyang"):
    """A second applicant in the same county as the demo enterprise."""
    county = demo[f"{city}-enterprise"].organisation.jurisdiction
    organisation = OrganisationFactory(kind="enterprise", jurisdiction=county)
    UserFactory(role="applicant", organisation=organisation)
    return organisation


def in_publicity(demo, *, city="luoyang", applications=None, **kwargs):
    applications = applications or [passed_application(demo, city=city, **kwargs)]
    publicity = publicity_start(
        batch=applications[0].batch,
        actor=demo[f"{city}-city"],
        title="2026年度绿色工厂拟入选名单公示",
        contact="0379-63900000",
    )
    return publicity, applications


def end_period(publicity: Publicity) -> Publicity:
    """Move the publicity period into the past, as if its days had run."""
    today = timezone.localdate()
    Publicity.objects.filter(pk=publicity.pk).update(
        starts_on=today - datetime.timedelta(days=7), ends_on=today - datetime.timedelta(days=1)
    )
    publicity.refresh_from_db()
    return publicity


OBJECTOR = {
    "name": "张三",
    "organisation_or_id": "洛阳市某化工有限公司",
    "phone": "0379-12345678",
    "email": "zhangsan@example.cn",
    "content": "该企业2025年曾发生一般环境污染事件，申报材料未如实说明。",
}
