"""大连 一（一）（三）（四）: factories, parks and supply chains hand in the self-evaluation *and*
the third-party report (附件2/4/5 自评价报告及第三方评价报告), the latter from the engaged agency.
Design products evaluate themselves only (一（二）, 附件3). 洛阳 第十一条 and 济南 第九条 keep one
report or the other."""

import pytest

from applications.models import Application
from applications.services.applications import (
    application_create,
    application_save_draft,
    application_transition,
    required_document_kinds,
)
from applications.services.documents import document_upload
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.rules.reports import evaluation_for
from tests.applications.helpers import city_batch, pdf_upload, split_facts
from tests.applications.test_submission import ready_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("unit_type", "article"),
    [("factory", "一(一)"), ("park", "一(三)"), ("supply_chain", "一(四)")],
)
def test_dalian_asks_both_reports_citing_its_own_article(unit_type, article):
    evaluation = evaluation_for("dalian-2022-national", unit_type)

    assert evaluation.reports("third_party") == ("self_evaluation", "third_party_report")
    assert not evaluation.allows("self")
    assert evaluation.agency_uploads_report
    assert f"大连 {article}" in evaluation.wording


@pytest.mark.parametrize(
    ("policy", "unit_type"),
    [
        ("luoyang-2024", "factory"),
        ("luoyang-2024", "park"),
        ("jinan-2024", "factory"),
        ("jinan-2024", "supply_chain"),
    ],
)
def test_luoyang_and_jinan_keep_one_report_or_the_other(policy, unit_type):
    evaluation = evaluation_for(policy, unit_type)

    assert evaluation.reports("self") == ("self_evaluation",)
    assert evaluation.reports("third_party") == ("third_party_report",)
    assert "大连" not in evaluation.wording


def test_the_self_evaluation_alone_does_not_submit_a_dalian_factory(demo):
    applicant = demo["dalian-enterprise"]
    application = application_create(
        actor=applicant,
        batch=city_batch("210200", policy="dalian-2022-national"),
        unit_type="factory",
    )
    mine, _reference = split_facts("dalian-2022-national", "factory")
    application_save_draft(application=application, actor=applicant, facts=mine)
    document_upload(
        application=application, actor=applicant, kind="self_evaluation", uploaded_file=pdf_upload()
    )
    application.refresh_from_db()

    assert application.evaluation_mode == "third_party"
    assert required_document_kinds(application) == ["self_evaluation", "third_party_report"]
    with pytest.raises(DomainError) as refused:
        application_transition(application=application, action="submit", actor=applicant)
    assert any("第三方评价报告" in reason for reason in refused.value.reasons)


def test_a_dalian_applicant_may_not_upload_the_third_party_report_itself(demo):
    application, applicant = ready_application(
        demo, city="dalian", policy="dalian-2022-national", city_key="210200"
    )

    with pytest.raises(NotPermitted, match="第三方评价报告"):
        document_upload(
            application=application,
            actor=applicant,
            kind="third_party_report",
            uploaded_file=pdf_upload("自己写的第三方报告.pdf"),
        )


def test_a_dalian_factory_with_both_reports_is_submitted(demo):
    application, applicant = ready_application(
        demo, city="dalian", policy="dalian-2022-national", city_key="210200"
    )

    application_transition(application=application, action="submit", actor=applicant)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    kinds = {d.kind for d in application.documents.all() if d.current_id}
    assert kinds == {"self_evaluation", "third_party_report"}


def test_a_dalian_factory_cannot_choose_self_evaluation_alone(demo):
    application, applicant = ready_application(
        demo, city="dalian", policy="dalian-2022-national", city_key="210200"
    )

    _application, errors = application_save_draft(
        application=application, actor=applicant, evaluation_mode="self"
    )

    assert "大连 一(一)" in errors["evaluation_mode"][0]


def test_a_dalian_design_product_refusal_cites_dalian_not_luoyang(demo):
    application, applicant = ready_application(
        demo,
        city="dalian",
        policy="dalian-2022-national",
        city_key="210200",
        unit_type="design_product",
    )

    _application, errors = application_save_draft(
        application=application, actor=applicant, evaluation_mode="third_party"
    )

    [message] = errors["evaluation_mode"]
    assert "大连 一(二)" in message and "洛阳" not in message


def test_a_luoyang_design_product_refusal_cites_article_11(demo):
    application, applicant = ready_application(demo, unit_type="design_product")

    _application, errors = application_save_draft(
        application=application, actor=applicant, evaluation_mode="third_party"
    )

    assert "洛阳 第十一条" in errors["evaluation_mode"][0]


def test_the_edit_page_offers_only_the_modes_the_policy_allows(client, demo):
    application, applicant = ready_application(
        demo, city="dalian", policy="dalian-2022-national", city_key="210200"
    )
    client.force_login(applicant)

    page = client.get(f"/applications/{application.pk}/edit/").content.decode()

    assert 'value="third_party"' in page and 'name="evaluation_mode" value="self"' not in page
    assert "自评价报告及第三方评价报告" in page
