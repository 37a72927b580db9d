"""培育库: the county adds candidates, cultivates, invites and withdraws them; the system marks
them applied."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import CultivationCandidate
from applications.selectors.pool import (
    candidate_list,
    pool_organisation_choices,
    pool_summary,
)
from applications.services.applications import (
    application_create,
    application_save_draft,
    application_set_reference_facts,
    application_transition,
)
from applications.services.documents import document_upload
from applications.services.pool import (
    candidate_add,
    candidate_invite,
    candidate_mark_applied,
    candidate_transition,
    candidate_update,
)
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Organisation
from greenmfg.notifications.models import Notification
from tests.applications.helpers import city_batch, county, pdf_upload, split_facts
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = CultivationCandidate.Status
NEXT_YEAR = timezone.localdate().year + 1


def add(actor, organisation, unit_type="factory", **overrides) -> CultivationCandidate:
    data = {
        "target_unit_type": unit_type,
        "target_year": NEXT_YEAR,
        "plan": "对标能效标杆水平，实施余热回收改造。",
    }
    data.update(overrides)
    return candidate_add(actor=actor, organisation=organisation, **data)


@pytest.fixture
def keeper(demo):
    return demo["luoyang-county"]


@pytest.fixture
def enterprise(demo):
    return demo["luoyang-enterprise"].organisation


@pytest.fixture
def candidate(keeper, enterprise):
    return add(keeper, enterprise)


# --- adding -----------------------------------------------------------------------------------


def test_candidate_add_by_county_official_is_cultivating_and_audited(keeper, enterprise):
    candidate = add(keeper, enterprise, notes="重点企业")
    assert (candidate.status, candidate.county.key, candidate.created_by) == (
        S.CULTIVATING,
        "410311",
        keeper,
    )
    entry = audit_entries_for(subject=candidate).get()
    assert (entry.action, entry.to_state, entry.actor) == ("create", "cultivating", keeper)


def test_candidate_add_park_as_park(demo, keeper):
    candidate = add(keeper, demo["luoyang-park"].organisation, unit_type="park")
    assert candidate.target_unit_type == "park"


@pytest.mark.parametrize(
    "username",
    ["luoyang-city", "henan", "luoyang-enterprise"],
    ids=["city", "province", "applicant"],
)
def test_candidate_add_refused_for_all_but_the_county(demo, enterprise, username):
    with pytest.raises(NotPermitted, match="县（区）工信部门维护"):
        add(demo[username], enterprise)
    assert not CultivationCandidate.objects.exists()


def test_candidate_add_refuses_an_enterprise_of_another_county(demo, enterprise):
    with pytest.raises(NotPermitted, match="不在本县（区）") as refusal:
        add(demo["luoyang-county2"], enterprise)
    assert refusal.value.field == "organisation"
    assert enterprise.name not in refusal.value.message


@pytest.mark.parametrize(
    ("username", "unit_type"),
    [("luoyang-park", "factory"), ("luoyang-enterprise", "park")],
    ids=["park-as-factory", "enterprise-as-park"],
)
def test_candidate_add_refuses_a_direction_of_the_wrong_kind(demo, keeper, username, unit_type):
    with pytest.raises(ValidationError) as refusal:
        add(keeper, demo[username].organisation, unit_type=unit_type)
    assert "target_unit_type" in refusal.value.message_dict


@pytest.mark.parametrize(
    ("kind", "status"),
    [("enterprise", "pending"), ("enterprise", "deactivated"), ("agency", "active")],
    ids=["pending", "deactivated", "agency"],
)
def test_candidate_add_refuses_inactive_or_other_organisations(keeper, kind, status):
    organisation = OrganisationFactory(jurisdiction=county("410311"), kind=kind, status=status)
    with pytest.raises(ValidationError) as refusal:
        add(keeper, organisation)
    assert "organisation" in refusal.value.message_dict


def test_candidate_add_refuses_a_duplicate_with_a_clear_message(keeper, enterprise, candidate):
    with pytest.raises(DomainError, match="已在洛龙区培育库中（培育方向：绿色工厂，状态：培育中）"):
        add(keeper, enterprise)
    assert CultivationCandidate.objects.count() == 1


def test_candidate_add_another_direction_is_no_duplicate(keeper, enterprise, candidate):
    assert add(keeper, enterprise, unit_type="supply_chain").status == S.CULTIVATING


def test_candidate_add_again_after_withdrawal(keeper, enterprise, candidate):
    candidate_transition(candidate=candidate, action="withdraw", actor=keeper, comment="停产")
    again = add(keeper, enterprise)
    assert again.pk != candidate.pk
    with pytest.raises(DomainError, match="不能重复纳入"):
        candidate_transition(candidate=candidate, action="reinstate", actor=keeper)


@pytest.mark.parametrize(
    ("field", "value"),
    [("target_year", NEXT_YEAR - 2), ("plan", "  ")],
    ids=["past-year", "no-plan"],
)
def test_candidate_add_validates_year_and_plan(keeper, enterprise, field, value):
    with pytest.raises(ValidationError) as refusal:
        add(keeper, enterprise, **{field: value})
    assert field in refusal.value.message_dict


# --- workflow ---------------------------------------------------------------------------------


def test_candidate_withdraw_needs_a_comment_then_reinstates(keeper, candidate):
    with pytest.raises(DomainError, match="须填写理由"):
        candidate_transition(candidate=candidate, action="withdraw", actor=keeper)
    candidate = candidate_transition(
        candidate=candidate, action="withdraw", actor=keeper, comment="企业搬迁"
    )
    assert candidate.status == S.WITHDRAWN
    candidate = candidate_transition(candidate=candidate, action="reinstate", actor=keeper)
    assert candidate.status == S.CULTIVATING
    moves = [
        (e.action, e.from_state, e.to_state, e.comment)
        for e in audit_entries_for(subject=candidate).order_by("at", "id")
    ]
    assert moves[1:] == [
        ("withdraw", "cultivating", "withdrawn", "企业搬迁"),
        ("reinstate", "withdrawn", "cultivating", ""),
    ]


@pytest.mark.parametrize(
    ("username", "match"),
    [("luoyang-city", "县（区）工信部门维护"), ("luoyang-county2", "不在您的管辖范围内")],
    ids=["city", "other-county"],
)
def test_candidate_transition_refused_for_others(demo, candidate, username, match):
    with pytest.raises(NotPermitted, match=match):
        candidate_transition(
            candidate=candidate, action="withdraw", actor=demo[username], comment="x"
        )
    candidate.refresh_from_db()
    assert candidate.status == S.CULTIVATING


@pytest.mark.parametrize("action", ["invite", "apply"])
def test_candidate_transition_refuses_the_special_steps(keeper, candidate, action):
    with pytest.raises(DomainError):
        candidate_transition(candidate=candidate, action=action, actor=keeper)


def test_candidate_invite_sets_batch_audits_and_notifies(demo, keeper, candidate):
    batch = city_batch()
    candidate = candidate_invite(candidate=candidate, batch=batch, actor=keeper, comment="请申报")
    assert (candidate.status, candidate.invited_batch) == (S.INVITED, batch)
    entry = audit_entries_for(subject=candidate).first()
    assert (entry.action, entry.from_state, entry.to_state) == ("invite", "cultivating", "invited")
    assert entry.data["batch"] == batch.pk
    notice = Notification.objects.get(recipient=demo["luoyang-enterprise"])
    assert batch.title in notice.subject
    assert notice.link == f"/applications/new/?batch={batch.pk}&unit_type=factory"


def test_candidate_invite_notifies_only_active_members(keeper, enterprise, candidate):
    inactive = UserFactory(organisation=enterprise, is_active=False)
    candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)
    assert not Notification.objects.filter(recipient=inactive).exists()


@pytest.mark.parametrize(
    ("batch_kwargs", "match"),
    [
        ({"status": "closed"}, "只能邀请申报中的批次"),
        ({"status": "draft"}, "只能邀请申报中的批次"),
        ({"unit_types": ["park", "supply_chain"]}, "不受理绿色工厂"),
        ({"city_key": "370100", "policy": "jinan-2024"}, "不受理洛龙区的申报"),
    ],
    ids=["closed", "draft", "type-not-accepted", "other-city"],
)
def test_candidate_invite_refuses_unfit_batches(keeper, candidate, batch_kwargs, match):
    batch = city_batch(**batch_kwargs)
    with pytest.raises(DomainError, match=match):
        candidate_invite(candidate=candidate, batch=batch, actor=keeper)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.invited_batch) == (S.CULTIVATING, None)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-county2"])
def test_candidate_invite_refused_for_others(demo, candidate, username):
    with pytest.raises(NotPermitted):
        candidate_invite(candidate=candidate, batch=city_batch(), actor=demo[username])


def test_candidate_invite_twice_is_refused(keeper, candidate):
    candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)
    with pytest.raises(DomainError, match="当前状态为「已邀请申报」"):
        candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)


def test_candidate_cancel_invitation_returns_to_cultivating(demo, keeper, candidate):
    candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)
    candidate = candidate_transition(candidate=candidate, action="cancel_invitation", actor=keeper)
    assert (candidate.status, candidate.invited_batch) == (S.CULTIVATING, None)
    assert Notification.objects.filter(
        recipient=demo["luoyang-enterprise"], subject__startswith="申报邀请已撤回"
    ).exists()


def test_withdrawn_cannot_be_invited(keeper, candidate):
    candidate_transition(candidate=candidate, action="withdraw", actor=keeper, comment="x")
    with pytest.raises(DomainError, match="当前状态为「已退出」"):
        candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)


# --- marked applied by the system ---------------------------------------------------------------


def test_candidate_mark_applied_moves_invited_and_cultivating(keeper, enterprise, candidate):
    supply = add(keeper, enterprise, unit_type="supply_chain")
    candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)
    changed = candidate_mark_applied(organisation=enterprise, unit_type="factory")
    assert changed == 1
    candidate.refresh_from_db()
    supply.refresh_from_db()
    assert (candidate.status, supply.status) == (S.APPLIED, S.CULTIVATING)
    entry = audit_entries_for(subject=candidate).first()
    assert (entry.action, entry.actor, entry.actor_name, entry.to_state) == (
        "apply",
        None,
        "系统",
        "applied",
    )
    assert candidate_mark_applied(organisation=enterprise, unit_type="supply_chain") == 1


def test_candidate_mark_applied_leaves_withdrawn_and_others_alone(demo, keeper, candidate):
    candidate_transition(candidate=candidate, action="withdraw", actor=keeper, comment="x")
    assert candidate_mark_applied(organisation=candidate.organisation, unit_type="factory") == 0
    other = demo["luoyang-enterprise2"].organisation
    assert candidate_mark_applied(organisation=other, unit_type="factory") == 0
    candidate.refresh_from_db()
    assert candidate.status == S.WITHDRAWN


# --- editing ----------------------------------------------------------------------------------


def test_candidate_update_plan_is_audited(keeper, candidate):
    candidate = candidate_update(candidate=candidate, actor=keeper, plan="新计划", notes="")
    assert candidate.plan == "新计划"
    entry = audit_entries_for(subject=candidate).first()
    assert entry.action == "update" and entry.data["changes"]["plan"][1] == "新计划"


def test_candidate_update_direction_refused_once_invited(keeper, candidate):
    candidate_invite(candidate=candidate, batch=city_batch(), actor=keeper)
    with pytest.raises(DomainError, match="撤回邀请"):
        candidate_update(candidate=candidate, actor=keeper, target_unit_type="supply_chain")


def test_candidate_update_refused_for_the_city(demo, candidate):
    with pytest.raises(NotPermitted):
        candidate_update(candidate=candidate, actor=demo["luoyang-city"], plan="x")


# --- reading ----------------------------------------------------------------------------------


def test_candidate_list_scopes_by_county(demo, keeper, candidate):
    other = add(demo["luoyang-county2"], demo["luoyang-enterprise2"].organisation)
    assert list(candidate_list(user=keeper)) == [candidate]
    assert set(candidate_list(user=demo["luoyang-city"])) == {candidate, other}
    assert set(candidate_list(user=demo["henan"])) == {candidate, other}
    assert not candidate_list(user=demo["jinan-city"]).exists()
    assert not candidate_list(user=demo["luoyang-enterprise"]).exists()


def test_pool_summary_counts_every_state_in_one_query(
    demo, keeper, candidate, django_assert_num_queries
):
    park = add(keeper, demo["luoyang-park"].organisation, unit_type="park")
    candidate_transition(candidate=park, action="withdraw", actor=keeper, comment="x")
    user = demo["luoyang-city"]
    user.organisation.jurisdiction  # noqa: B018 - loaded by the request in real use
    with django_assert_num_queries(1):
        summary = pool_summary(user=user)
    assert summary == {
        "cultivating": 1,
        "invited": 0,
        "applied": 0,
        "listed": 0,
        "withdrawn": 1,
    }


def test_pool_organisation_choices_are_the_countys_active_units(demo, keeper):
    pending = OrganisationFactory(jurisdiction=county("410311"), status="pending")
    choices = set(pool_organisation_choices(user=keeper))
    assert demo["luoyang-enterprise"].organisation in choices
    assert demo["luoyang-park"].organisation in choices
    assert demo["luoyang-enterprise2"].organisation not in choices
    assert pending not in choices
    assert all(o.kind in (Organisation.Kind.ENTERPRISE, Organisation.Kind.PARK) for o in choices)


def test_submitting_the_application_marks_the_invited_candidate_applied(demo, keeper, candidate):
    batch = city_batch()
    candidate_invite(candidate=candidate, batch=batch, actor=keeper)
    applicant = demo["luoyang-enterprise"]
    application = application_create(actor=applicant, batch=batch, unit_type="factory")
    mine, reference = split_facts("luoyang-2024", "factory")
    application_save_draft(application=application, actor=applicant, facts=mine)
    if reference:
        application_set_reference_facts(application=application, actor=keeper, facts=reference)
    document_upload(
        application=application, actor=applicant, kind="self_evaluation", uploaded_file=pdf_upload()
    )
    application_transition(application=application, action="submit", actor=applicant)
    candidate.refresh_from_db()
    assert candidate.status == S.APPLIED
