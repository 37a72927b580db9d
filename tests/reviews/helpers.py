"""Arrangements for the review tests: a submitted application ready for the county."""

from applications.models import BatchQuota
from applications.services.applications import application_transition
from greenmfg.directory.models import Organisation
from reviews.checklists import REQUIRED_DEPARTMENTS, checklist_for
from reviews.services.review import county_review_save, opinion_answer, opinion_request_send
from tests.applications.test_submission import ready_application


def in_county_review(
    demo,
    *,
    city="luoyang",
    policy="luoyang-2024",
    city_key="410300",
    quota=2,
    unit_type="factory",
    batch=None,
):
    application, applicant = ready_application(
        demo, city=city, policy=policy, city_key=city_key, unit_type=unit_type, batch=batch
    )
    BatchQuota.objects.update_or_create(
        batch=application.batch, county=application.jurisdiction, defaults={"quota": quota}
    )
    application_transition(application=application, action="submit", actor=applicant)
    county = demo[f"{city}-county"]
    application_transition(application=application, action="start_review", actor=county)
    application.refresh_from_db()
    return application, county


def required_departments(application):
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT,
            jurisdiction=application.jurisdiction,
            department__in=REQUIRED_DEPARTMENTS[application.batch.policy],
        )
    )


def ready_to_recommend(demo, application, county, *, objection_from=None):
    """Tick every checklist item, consult the required departments and have them answer."""
    county_review_save(
        application=application,
        actor=county,
        checklist={item.code: True for item in checklist_for(application.unit_type)},
        rank=1,
        notes="材料齐全，数据真实",
    )
    requests = opinion_request_send(
        application=application, actor=county, departments=required_departments(application)
    )
    for request in requests:
        member = request.department.users.first()
        objection = objection_from == request.department.department
        opinion_answer(
            request=request,
            actor=member,
            answer="objection" if objection else "no_objection",
            reasons="近三年有一起一般安全生产事故，已整改" if objection else "",
        )
    return requests
