"""原则上: a condition the document states 原则上 fails, but the unit may still apply with a
written reason, which the county must accept in writing before it recommends.

济南 第七条 (园区工业增加值占比原则上不低于45%), 济南 第八条 (供应链管理企业原则上本身应为绿色工厂)
and 大连 一（一） (原则上要达到或优于能效标杆水平): each can be excepted; no other condition can.
"""

import pytest

from applications.models import Application, BatchQuota, PrincipleException
from applications.services.applications import (
    application_precheck,
    application_save_draft,
    application_transition,
)
from applications.services.exceptions import exception_accept, exception_state
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from tests.applications.test_submission import ready_application
from tests.reviews.helpers import ready_to_recommend

pytestmark = pytest.mark.django_db

REASON = "园区在建项目投产后工业增加值占比将于明年超过45%，已附规划说明。"
COUNTY_REASON = "经核实园区在建项目属实，同意按例外情形推荐。"

# (city, policy, city key, unit type, the failing fact, the finding's code, its citation)
IN_PRINCIPLE = [
    pytest.param(
        "jinan",
        "jinan-2024",
        "370100",
        "park",
        {"industrial_value_added_share": 44},
        "park.value_added_share",
        "第七条",
        id="jinan-article-7-park-value-added-44",
    ),
    pytest.param(
        "jinan",
        "jinan-2024",
        "370100",
        "supply_chain",
        {"is_green_factory": False},
        "supply_chain.is_green_factory",
        "第八条",
        id="jinan-article-8-supply-chain-not-a-green-factory",
    ),
    pytest.param(
        "dalian",
        "dalian-2022-national",
        "210200",
        "factory",
        {"key_energy_sector": True, "energy_efficiency_level": "level_1"},
        "factory.energy_efficiency",
        "一(一)",
        id="dalian-1-1-below-the-benchmark",
    ),
]


def failing_draft(demo, city, policy, city_key, unit_type, change):
    application, applicant = ready_application(
        demo, city=city, policy=policy, city_key=city_key, unit_type=unit_type
    )
    application, errors = application_save_draft(
        application=application, actor=applicant, facts=change
    )
    assert errors == {}
    return application, applicant


@pytest.mark.parametrize(
    ("city", "policy", "city_key", "unit_type", "change", "code", "article"), IN_PRINCIPLE
)
def test_a_failed_in_principle_condition_blocks_submission_until_a_reason_is_given(
    demo, city, policy, city_key, unit_type, change, code, article
):
    application, applicant = failing_draft(demo, city, policy, city_key, unit_type, change)

    with pytest.raises(DomainError) as refused:
        application_transition(application=application, action="submit", actor=applicant)
    assert any(article in reason and "原则上" in reason for reason in refused.value.reasons)

    exception_state(application=application, actor=applicant, code=code, reason=REASON)
    application_transition(application=application, action="submit", actor=applicant)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    [exception] = application.principle_exceptions.all()
    assert (exception.code, exception.reason, exception.is_accepted) == (code, REASON, False)
    assert article in exception.citation
    assert AuditEntry.objects.filter(action="principle_reason", object_id=application.pk).exists()


@pytest.mark.parametrize(
    ("city", "policy", "city_key", "unit_type", "change", "code", "article"), IN_PRINCIPLE
)
def test_the_county_recommends_only_after_accepting_the_reason_in_writing(
    demo, city, policy, city_key, unit_type, change, code, article
):
    application, applicant = failing_draft(demo, city, policy, city_key, unit_type, change)
    exception_state(application=application, actor=applicant, code=code, reason=REASON)
    application_transition(application=application, action="submit", actor=applicant)
    county = demo[f"{city}-county"]
    application_transition(application=application, action="start_review", actor=county)
    BatchQuota.objects.update_or_create(
        batch=application.batch, county=application.jurisdiction, defaults={"quota": 2}
    )
    ready_to_recommend(demo, application, county)

    with pytest.raises(DomainError) as refused:
        application_transition(application=application, action="recommend", actor=county)
    assert any(article in reason for reason in refused.value.reasons)

    exception_accept(application=application, actor=county, code=code, reason=COUNTY_REASON)
    application_transition(application=application, action="recommend", actor=county)

    application.refresh_from_db()
    assert application.status == Application.Status.RECOMMENDED
    exception = application.principle_exceptions.get()
    assert (exception.county_reason, exception.accepted_by) == (COUNTY_REASON, county)
    assert AuditEntry.objects.filter(action="principle_accept", object_id=application.pk).exists()


def test_a_condition_not_stated_in_principle_can_never_be_excepted(demo):
    """济南 第七条1 园区应具有法定边界: not 原则上, so no reason lets the park apply."""
    application, applicant = failing_draft(
        demo, "jinan", "jinan-2024", "370100", "park", {"has_legal_boundary": False}
    )
    failed = [f for f in application_precheck_findings(application, applicant) if not f["passed"]]
    assert failed and not any(f["in_principle"] for f in failed)

    with pytest.raises(DomainError, match="不是政策规定“原则上”的条件") as refused:
        exception_state(
            application=application, actor=applicant, code=failed[0]["code"], reason=REASON
        )
    assert refused.value.code == "not_in_principle"
    with pytest.raises(DomainError, match="资格自查未通过"):
        application_transition(application=application, action="submit", actor=applicant)
    assert not PrincipleException.objects.exists()


def test_luoyang_states_no_condition_in_principle(demo):
    """洛阳's 办法 writes no 原则上 into its conditions: a failed one is never excepted."""
    application, applicant = failing_draft(
        demo, "luoyang", "luoyang-2024", "410300", "park", {"industrial_value_added_share": 10}
    )
    failed = [f for f in application_precheck_findings(application, applicant) if not f["passed"]]
    assert failed
    for finding in failed:
        with pytest.raises(DomainError, match="不是政策规定“原则上”的条件"):
            exception_state(
                application=application, actor=applicant, code=finding["code"], reason=REASON
            )


def application_precheck_findings(application, applicant):
    return application_precheck(application=application, actor=applicant).findings


def test_a_short_reason_is_refused_naming_the_finding(demo):
    application, applicant = failing_draft(
        demo, "jinan", "jinan-2024", "370100", "park", {"industrial_value_added_share": 44}
    )
    with pytest.raises(DomainError, match=r"第七条.*不少于 10 个字") as refused:
        exception_state(
            application=application, actor=applicant, code="park.value_added_share", reason="  短 "
        )
    assert refused.value.field == "reason"
    assert not PrincipleException.objects.exists()


def test_a_reason_for_a_condition_that_passes_is_refused(demo):
    application, applicant = ready_application(
        demo, city="jinan", policy="jinan-2024", city_key="370100", unit_type="park"
    )
    with pytest.raises(DomainError, match="无须说明理由"):
        exception_state(
            application=application, actor=applicant, code="park.value_added_share", reason=REASON
        )


def test_rewriting_the_reason_takes_back_the_countys_acceptance(demo):
    application, applicant = failing_draft(
        demo, "jinan", "jinan-2024", "370100", "park", {"industrial_value_added_share": 44}
    )
    exception_state(
        application=application, actor=applicant, code="park.value_added_share", reason=REASON
    )
    application_transition(application=application, action="submit", actor=applicant)
    county = demo["jinan-county"]
    application_transition(application=application, action="start_review", actor=county)
    exception_accept(
        application=application, actor=county, code="park.value_added_share", reason=COUNTY_REASON
    )
    application_transition(
        application=application, action="return", actor=county, comment="请补充规划文件"
    )

    exception_state(
        application=application,
        actor=applicant,
        code="park.value_added_share",
        reason=REASON + "补充：规划文件已上传。",
    )

    assert not application.principle_exceptions.get().is_accepted


def test_only_the_applicants_county_accepts_and_only_in_its_initial_review(demo):
    application, applicant = failing_draft(
        demo, "jinan", "jinan-2024", "370100", "park", {"industrial_value_added_share": 44}
    )
    exception_state(
        application=application, actor=applicant, code="park.value_added_share", reason=REASON
    )
    application_transition(application=application, action="submit", actor=applicant)
    with pytest.raises(DomainError, match="只能在初审中认可"):
        exception_accept(
            application=application,
            actor=demo["jinan-county"],
            code="park.value_added_share",
            reason=COUNTY_REASON,
        )
    application_transition(
        application=application, action="start_review", actor=demo["jinan-county"]
    )
    for outsider in ("jinan-county2", "jinan-city", "luoyang-county", "jinan-park"):
        with pytest.raises(NotPermitted):
            exception_accept(
                application=application,
                actor=demo[outsider],
                code="park.value_added_share",
                reason=COUNTY_REASON,
            )
    with pytest.raises(DomainError, match="不少于 10 个字"):
        exception_accept(
            application=application,
            actor=demo["jinan-county"],
            code="park.value_added_share",
            reason="同意",
        )
    assert not application.principle_exceptions.get().is_accepted
