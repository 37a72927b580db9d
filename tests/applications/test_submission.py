"""Submitting is refused with every reason until documents, pre-check, batch and agency are fine."""

import pytest
from django.utils import timezone

from applications.models import Application, CreditEvent
from applications.services.applications import (
    application_create,
    application_save_draft,
    application_set_reference_facts,
    application_transition,
    required_document_kinds,
)
from applications.services.documents import document_upload
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from tests.applications.helpers import city_batch, pdf_upload, split_facts

pytestmark = pytest.mark.django_db


def ready_application(
    demo,
    *,
    city="luoyang",
    policy="luoyang-2024",
    city_key="410300",
    unit_type="factory",
    batch=None,
):
    """A complete, eligible draft: facts, reference values and the reports the policy asks for:
    the self-evaluation, and where the policy asks both (大连 一（一）) the engaged agency's report
    uploaded by its own staff."""
    applicant = demo[f"{city}-park" if unit_type == "park" else f"{city}-enterprise"]
    batch = batch or city_batch(city_key, policy=policy)
    product_name = "高效节能电机" if unit_type == "design_product" else ""
    application = application_create(
        actor=applicant, batch=batch, unit_type=unit_type, product_name=product_name
    )
    mine, reference = split_facts(policy, unit_type)
    application, errors = application_save_draft(
        application=application, actor=applicant, facts=mine
    )
    assert errors == {}
    if reference:
        application_set_reference_facts(
            application=application, actor=demo[f"{city}-county"], facts=reference
        )
    document_upload(
        application=application, actor=applicant, kind="self_evaluation", uploaded_file=pdf_upload()
    )
    if "third_party_report" in required_document_kinds(application):
        agency_staff = demo[f"{city}-agency"]
        application, errors = application_save_draft(
            application=application, actor=applicant, agency=agency_staff.organisation
        )
        assert errors == {}
        document_upload(
            application=application,
            actor=agency_staff,
            kind="third_party_report",
            uploaded_file=pdf_upload("第三方评价报告.pdf"),
        )
    return application, applicant


@pytest.mark.parametrize(
    ("city", "policy", "city_key", "unit_type"),
    [
        ("luoyang", "luoyang-2024", "410300", "factory"),
        ("luoyang", "luoyang-2024", "410300", "park"),
        ("luoyang", "luoyang-2024", "410300", "supply_chain"),
        ("jinan", "jinan-2024", "370100", "factory"),
        ("jinan", "jinan-2024", "370100", "park"),
        ("jinan", "jinan-2024", "370100", "supply_chain"),
        ("dalian", "dalian-2022-national", "210200", "factory"),
        ("dalian", "dalian-2022-national", "210200", "park"),
        ("dalian", "dalian-2022-national", "210200", "supply_chain"),
        ("luoyang", "luoyang-2024", "410300", "design_product"),
        ("dalian", "dalian-2022-national", "210200", "design_product"),
    ],
    ids=lambda value: str(value),
)
def test_complete_application_is_submitted_and_county_notified(
    demo, django_capture_on_commit_callbacks, city, policy, city_key, unit_type
):
    application, applicant = ready_application(
        demo, city=city, policy=policy, city_key=city_key, unit_type=unit_type
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = application_transition(
            application=application, action="submit", actor=applicant
        )
    assert application.status == Application.Status.SUBMITTED
    assert application.precheck_eligible is True
    assert AuditEntry.objects.filter(object_id=str(application.pk), action="submit").exists()
    assert Notification.objects.filter(
        recipient=demo[f"{city}-county"], subject__contains="收到新的申报"
    ).exists()


def test_submission_without_report_lists_the_missing_document(demo):
    application, applicant = ready_application(demo)
    application.documents.all().delete()
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="submit", actor=applicant)
    assert any("自评价报告" in reason for reason in refusal.value.reasons)


def test_submission_with_failing_precheck_names_the_article(demo):
    application, applicant = ready_application(demo, unit_type="park")
    application_save_draft(
        application=application, actor=applicant, facts={"industrial_value_added_share": 50}
    )
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="submit", actor=applicant)
    assert any("第八条" in reason and "50%" in reason for reason in refusal.value.reasons)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.precheck_eligible is False


def test_submission_after_deadline_is_refused(demo):
    application, applicant = ready_application(demo)
    batch = application.batch
    batch.submission_deadline = timezone.now() - timezone.timedelta(minutes=1)
    batch.save()
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="submit", actor=applicant)
    assert any("不在申报期内" in reason for reason in refusal.value.reasons)


def test_third_party_mode_needs_agency_and_its_report(demo):
    application, applicant = ready_application(demo)
    application_save_draft(application=application, actor=applicant, evaluation_mode="third_party")
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="submit", actor=applicant)
    reasons = " ".join(refusal.value.reasons)
    assert "第三方评价报告" in reasons and "须选择第三方评价机构" in reasons


def test_agency_staff_uploads_report_and_application_is_submitted(demo):
    application, applicant = ready_application(demo)
    agency_user = demo["luoyang-agency"]
    application_save_draft(
        application=application,
        actor=applicant,
        evaluation_mode="third_party",
        agency=agency_user.organisation,
    )
    document_upload(
        application=application,
        actor=agency_user,
        kind="third_party_report",
        uploaded_file=pdf_upload("报告.pdf"),
    )
    application = application_transition(application=application, action="submit", actor=applicant)
    assert application.status == Application.Status.SUBMITTED


def test_credit_data_fails_the_precheck_and_says_where_it_came_from(demo):
    application, applicant = ready_application(demo)
    CreditEvent.objects.create(
        credit_code=application.organisation.credit_code,
        kind="dishonest_judgment_debtor",
        occurred_on=timezone.localdate() - timezone.timedelta(days=30),
        source="信用中国",
    )
    with pytest.raises(DomainError):
        application_transition(application=application, action="submit", actor=applicant)
    application.refresh_from_db()
    failed = [f for f in application.precheck["findings"] if not f["passed"]]
    assert failed and "信用中国" in " ".join(failed[0]["sources"])


def test_withdraw_and_county_return_keep_the_data(demo):
    application, applicant = ready_application(demo)
    application_transition(application=application, action="submit", actor=applicant)
    application_transition(application=application, action="withdraw", actor=applicant)
    application_transition(application=application, action="submit", actor=applicant)
    with pytest.raises(DomainError, match="须填写理由"):
        application_transition(
            application=application, action="return", actor=demo["luoyang-county"]
        )
    application = application_transition(
        application=application,
        action="return",
        actor=demo["luoyang-county"],
        comment="请补充能效证明",
    )
    assert application.status == Application.Status.RETURNED
    assert application.facts


def test_other_county_cannot_return(demo):
    application, applicant = ready_application(demo)
    application_transition(application=application, action="submit", actor=applicant)
    with pytest.raises(NotPermitted):
        application_transition(
            application=application, action="return", actor=demo["luoyang-county2"], comment="x"
        )


def test_inbox_page_and_api_scoping(client, demo):
    application, applicant = ready_application(demo)
    application_transition(application=application, action="submit", actor=applicant)
    client.force_login(demo["luoyang-county"])
    assert application.organisation.name in client.get("/applications/").content.decode()
    assert client.get(f"/api/applications/{application.pk}/").status_code == 200
    client.force_login(demo["luoyang-county2"])
    assert application.organisation.name not in client.get("/applications/").content.decode()
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    assert client.get(f"/api/applications/{application.pk}/").status_code == 404
    client.force_login(demo["jinan-city"])
    assert client.get(f"/api/applications/{application.pk}/").status_code == 404


def test_submit_through_the_browser_form(client, demo):
    application, applicant = ready_application(demo)
    client.force_login(applicant)
    response = client.post(
        f"/applications/{application.pk}/edit/", {"action": "submit", "evaluation_mode": "self"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_refused_submission_page_lists_reasons(client, demo):
    application, applicant = ready_application(demo)
    application.documents.all().delete()
    client.force_login(applicant)
    response = client.post(
        f"/applications/{application.pk}/edit/", {"action": "submit", "evaluation_mode": "self"}
    )
    assert response.status_code == 400
    assert "缺少必需的材料" in response.content.decode()


def test_paper_copy_is_recorded_by_the_county(client, demo):
    application, applicant = ready_application(demo)
    application_transition(application=application, action="submit", actor=applicant)
    client.force_login(demo["luoyang-county"])
    client.post(f"/applications/{application.pk}/paper-copy/")
    application.refresh_from_db()
    assert application.paper_copy_received_by == demo["luoyang-county"]


def test_inbox_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    from tests.factories import ApplicationFactory, OrganisationFactory

    batch = city_batch()
    county = demo["luoyang-county"].organisation.jurisdiction
    for _ in range(5):
        ApplicationFactory(
            batch=batch, organisation=OrganisationFactory(jurisdiction=county), status="submitted"
        )
    client.force_login(demo["luoyang-county"])
    with django_assert_max_num_queries(20) as small:
        client.get("/applications/")
    for _ in range(45):
        ApplicationFactory(
            batch=batch, organisation=OrganisationFactory(jurisdiction=county), status="submitted"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/applications/")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/applications/")
