"""大连 二: the evaluating agency stays independent of the applicant's self-evaluation."""

import pytest

from applications.models import Document, DocumentVersion
from applications.services.applications import application_save_draft, submission_refusals
from applications.services.documents import document_upload
from greenmfg.core.errors import NotPermitted
from tests.applications.helpers import pdf_upload
from thirdparty.models import AgencyProfile

from .helpers import batch_of, draft, name_agency, qualified_agency

pytestmark = pytest.mark.django_db


def test_the_agency_that_helped_write_the_self_evaluation_cannot_evaluate():
    agency = qualified_agency()
    application, applicant = draft(batch_of())
    application_save_draft(application=application, actor=applicant, self_evaluation_helper=agency)

    [refusal] = name_agency(application, applicant, agency)

    assert "协助编写了本单位的自评价报告" in refusal and "大连 二" in refusal
    assert name_agency(application, applicant, qualified_agency()) == []


def test_declaring_the_evaluating_agency_as_helper_afterwards_is_refused():
    agency = qualified_agency()
    application, applicant = draft(batch_of())
    assert name_agency(application, applicant, agency) == []

    _application, errors = application_save_draft(
        application=application, actor=applicant, self_evaluation_helper=agency
    )

    assert "协助编写了本单位的自评价报告" in errors["agency"][0]
    application.refresh_from_db()
    assert application.self_evaluation_helper is None


def test_agency_staff_cannot_upload_the_self_evaluation():
    agency = qualified_agency()
    application, applicant = draft(batch_of())
    name_agency(application, applicant, agency)

    with pytest.raises(NotPermitted):
        document_upload(
            application=application,
            actor=agency.users.get(),
            kind=Document.Kind.SELF_EVALUATION,
            uploaded_file=pdf_upload(),
        )


def test_a_self_evaluation_uploaded_by_the_agencys_staff_is_refused_at_submission():
    agency = qualified_agency()
    application, applicant = draft(batch_of())
    name_agency(application, applicant, agency)
    version = document_upload(
        application=application,
        actor=applicant,
        kind=Document.Kind.SELF_EVALUATION,
        uploaded_file=pdf_upload(),
    )
    # As if the agency's staff had uploaded it under the applicant's account of another time.
    DocumentVersion.objects.filter(pk=version.pk).update(uploaded_by=agency.users.get())
    application.refresh_from_db()

    refusals = submission_refusals(application=application, precheck=application_precheck_ok())

    assert any("与其第三方评价不独立" in refusal for refusal in refusals)


def application_precheck_ok():
    from greenmfg.rules import Verdict

    return Verdict.from_findings([])


def test_an_unapproved_agency_cannot_be_named():
    agency = qualified_agency()
    AgencyProfile.objects.filter(organisation=agency).update(status="submitted")
    application, applicant = draft(batch_of())

    [refusal] = name_agency(application, applicant, agency)

    assert "资质尚未通过审核" in refusal and "第十四条" in refusal
