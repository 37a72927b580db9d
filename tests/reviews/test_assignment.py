"""评审分配: conflicts of interest, manual and automatic assignment, withdrawal, and the guard
that expert review starts only with a complete panel."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from applications.models import Application
from applications.services.applications import application_transition
from applications.workflow import _GUARDS
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from reviews.models import ConflictDeclaration, ExpertAssignment, ExpertMembership
from reviews.selectors.expert import (
    assigned_applications_q,
    assignments_for_expert,
    conflicts_for,
    eligible_experts,
)
from reviews.services.expert import (
    assignment_auto,
    assignment_create,
    assignment_withdraw,
    choose_panel,
    conflict_declare,
    start_review_refusals,
)
from tests.applications.helpers import city_batch
from tests.factories import ApplicationFactory, ExpertAssignmentFactory, OrganisationFactory
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_expert_pool import (
    institute,
    luoyang_bureau,
    make_expert,
    member,
    recommended,
)
from tests.reviews.test_transition_races import race

pytestmark = pytest.mark.django_db

A = ExpertAssignment.Status


@pytest.fixture
def city(demo):
    return demo["luoyang-city"]


@pytest.fixture
def application(demo):
    return recommended(demo, agency=demo["luoyang-agency"].organisation)


def pool(demo, *names, **overrides):
    """Experts in the 洛阳 city pool, in the order named."""
    return [member(luoyang_bureau(demo), make_expert(name), **overrides).expert for name in names]


def declare(expert, organisation, reason="曾为其提供咨询服务"):
    return ConflictDeclaration.objects.create(
        expert=expert, organisation=organisation, reason=reason
    )


# --- conflicts of interest --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        (lambda demo, app: make_expert("甲", organisation=app.organisation), "即申报单位"),
        (lambda demo, app: make_expert("乙", organisation=app.agency), "第三方评价机构"),
        (
            lambda demo, app: declare(make_expert("丙"), app.organisation).expert,
            "已申报与申报单位",
        ),
        (
            lambda demo, app: declare(make_expert("丁"), app.agency).expert,
            "已申报与第三方评价机构",
        ),
        # An employer an expert import created, before the unit registered under its name.
        (
            lambda demo, app: make_expert("戊", organisation=institute(app.organisation.name)),
            "即申报单位",
        ),
        (
            lambda demo, app: make_expert("己", organisation=institute(app.agency.name)),
            "第三方评价机构",
        ),
    ],
    ids=[
        "same-organisation",
        "evaluating-agency",
        "declared-applicant",
        "declared-agency",
        "same-name-as-applicant",
        "same-name-as-agency",
    ],
)
def test_conflicts_for_finds_each_kind(demo, application, arrange, expected):
    expert = arrange(demo, application)
    reasons = conflicts_for(expert=expert, application=application)
    assert len(reasons) == 1 and expected in reasons[0]


def test_conflicts_for_an_unrelated_expert_is_empty(demo, application):
    declare(demo["luoyang-expert"], demo["jinan-enterprise"].organisation)
    assert conflicts_for(expert=demo["luoyang-expert"], application=application) == []


@pytest.mark.parametrize(
    "kind", ["same-organisation", "evaluating-agency", "declared-applicant", "declared-agency"]
)
def test_assignment_create_refuses_a_conflicted_expert(demo, city, application, kind):
    expert = {
        "same-organisation": lambda: make_expert("甲", organisation=application.organisation),
        "evaluating-agency": lambda: make_expert("乙", organisation=application.agency),
        "declared-applicant": lambda: declare(make_expert("丙"), application.organisation).expert,
        "declared-agency": lambda: declare(make_expert("丁"), application.agency).expert,
    }[kind]()
    member(luoyang_bureau(demo), expert)
    with pytest.raises(DomainError, match="不能分配") as refusal:
        assignment_create(application=application, expert=expert, actor=city)
    assert refusal.value.code == "conflict_of_interest" and refusal.value.reasons
    assert not ExpertAssignment.objects.exists()


# --- manual assignment ------------------------------------------------------------------------


def test_assignment_create_assigns_audits_and_notifies(demo, city, application):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    assert (assignment.status, assignment.assigned_by) == (A.ASSIGNED, city)
    entry = audit_entries_for(subject=application).get(action="expert_assign")
    assert entry.comment == "王评审" and entry.data["assignment"] == assignment.pk
    assert entry.from_state == entry.to_state == ""  # the application's state is unchanged
    note = Notification.objects.get(recipient=expert)
    assert "新的评审任务" in note.subject and note.link == "/experts/tasks/"


def test_assignment_create_in_expert_review_too(demo, city):
    application = recommended(demo, status="expert_review")
    (expert,) = pool(demo, "王评审")
    assert assignment_create(application=application, expert=expert, actor=city)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"is_active": False}, "已移出专家库"),
        ({"active_until": 2025}, "在库期限至 2025 年"),
        ({"active_from": 2027}, "入库年度为 2027 年"),
    ],
    ids=["out-of-pool", "expired", "not-yet-active"],
)
def test_assignment_create_refuses_a_member_not_active_in_the_batch_year(
    demo, city, application, overrides, message
):
    (expert,) = pool(demo, "王评审", **overrides)
    with pytest.raises(DomainError, match=message):
        assignment_create(application=application, expert=expert, actor=city)
    assert not ExpertAssignment.objects.exists()


def test_assignment_create_accepts_the_last_active_year(demo, city, application):
    (expert,) = pool(demo, "王评审", active_from=2026, active_until=2026)
    assert assignment_create(application=application, expert=expert, actor=city)


def test_assignment_create_refuses_an_expert_of_another_authoritys_pool(demo, city, application):
    expert = make_expert("李济南")
    member(demo["jinan-city"].organisation, expert)
    with pytest.raises(DomainError, match=r"不在「.*」专家库中") as refusal:
        assignment_create(application=application, expert=expert, actor=city)
    assert refusal.value.code == "not_in_pool"


def test_assignment_create_refuses_a_duplicate_and_a_full_panel(demo, city, application):
    first, second, third, fourth = pool(demo, "甲", "乙", "丙", "丁")
    assignment_create(application=application, expert=first, actor=city)
    with pytest.raises(DomainError, match="已在该申报的评审组中"):
        assignment_create(application=application, expert=first, actor=city)
    assignment_create(application=application, expert=second, actor=city)
    assignment_create(application=application, expert=third, actor=city)
    with pytest.raises(DomainError, match="评审组已满（每项申报 3 名专家）"):
        assignment_create(application=application, expert=fourth, actor=city)
    assert ExpertAssignment.objects.count() == 3


@pytest.mark.parametrize("status", ["county_review", "not_recommended", "passed", "failed"])
def test_assignment_create_refused_outside_the_review(demo, city, status):
    application = recommended(demo, status=status)
    (expert,) = pool(demo, "王评审")
    with pytest.raises(DomainError, match="只有已推荐或专家评审中的申报可以分配专家"):
        assignment_create(application=application, expert=expert, actor=city)


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "jinan-city", "henan", "luoyang-expert", "luoyang-enterprise"],
    ids=["county", "other-city", "province", "expert", "applicant"],
)
def test_only_the_batch_authority_assigns(demo, application, username):
    (expert,) = pool(demo, "王评审")
    actor = demo[username]
    with pytest.raises(NotPermitted, match=r"评审专家由批次组织单位「.*」分配"):
        assignment_create(application=application, expert=expert, actor=actor)
    with pytest.raises(NotPermitted):
        assignment_auto(application=application, actor=actor)
    assert not ExpertAssignment.objects.exists()


def test_sysadmin_may_assign(demo, application):
    (expert,) = pool(demo, "王评审")
    assert assignment_create(application=application, expert=expert, actor=demo["admin"])


# --- automatic assignment ---------------------------------------------------------------------


def test_assignment_auto_never_picks_a_conflicted_expert(demo, city, application):
    clean = pool(demo, "甲", "乙", "丙")
    same = make_expert("同单位", organisation=application.organisation)
    agency = make_expert("评价机构", organisation=application.agency)
    declared = declare(make_expert("已申报"), application.organisation).expert
    for expert in (same, agency, declared):
        member(luoyang_bureau(demo), expert)
    created = assignment_auto(application=application, actor=city)
    assert {a.expert for a in created} == set(clean)
    excluded = {m.expert for m, reasons in eligible_experts(application=application) if reasons}
    assert {same, agency, declared} <= excluded


def test_assignment_auto_spreads_the_load_over_the_batch(demo, city):
    batch = city_batch()
    busy, idle_a, idle_b, idle_c = pool(demo, "甲忙", "乙", "丙", "丁")
    ExpertAssignmentFactory(
        application=ApplicationFactory(batch=batch, status="recommended"),
        expert=busy,
        assigned_by=city,
    )
    # Submitted sheets are work done: they do not count as load.
    for _ in range(2):
        ExpertAssignmentFactory(
            application=ApplicationFactory(batch=batch, status="expert_review"),
            expert=idle_a,
            assigned_by=city,
            status=A.SUBMITTED,
        )
    # Nor does work in another batch.
    for _ in range(2):
        ExpertAssignmentFactory(
            application=ApplicationFactory(status="recommended"), expert=idle_b, assigned_by=city
        )
    application = recommended(demo, batch=batch)
    created = assignment_auto(application=application, actor=city)
    assert {a.expert for a in created} == {idle_a, idle_b, idle_c}


def test_assignment_auto_prefers_fields_not_yet_on_the_panel(demo, city, application):
    bureau = luoyang_bureau(demo)
    energy_a = member(bureau, make_expert("甲"), field="energy").expert
    energy_b = member(bureau, make_expert("乙"), field="energy").expert
    carbon = member(bureau, make_expert("丙"), field="low_carbon").expert
    finance = member(bureau, make_expert("丁"), field="finance").expert
    created = {a.expert for a in assignment_auto(application=application, actor=city)}
    # One energy expert only: the third seat goes to another field, not to the second one.
    assert {carbon, finance} < created and len(created & {energy_a, energy_b}) == 1


def test_assignment_auto_fills_only_what_is_missing(demo, city, application):
    first, *_others = pool(demo, "甲", "乙", "丙", "丁")
    assignment_create(application=application, expert=first, actor=city)
    created = assignment_auto(application=application, actor=city)
    assert len(created) == 2
    assert ExpertAssignment.objects.filter(application=application).count() == 3
    with pytest.raises(DomainError, match="评审组已满"):
        assignment_auto(application=application, actor=city)


def test_assignment_auto_without_enough_experts_assigns_none(demo, city, application):
    pool(demo, "甲", "乙")
    member(luoyang_bureau(demo), make_expert("丙"), is_active=False)
    with pytest.raises(DomainError) as refusal:
        assignment_auto(application=application, actor=city)
    assert refusal.value.code == "not_enough_experts"
    assert "只有 2 名，还需 3 名" in refusal.value.message
    assert any("丙：已移出专家库" in reason for reason in refusal.value.reasons)
    assert not ExpertAssignment.objects.exists()
    assert not Notification.objects.filter(subject__contains="新的评审任务").exists()


def test_assignment_auto_ignores_another_authoritys_pool(demo, city, application):
    pool(demo, "甲", "乙")
    member(demo["jinan-city"].organisation, make_expert("李济南"))
    with pytest.raises(DomainError, match="只有 2 名"):
        assignment_auto(application=application, actor=city)


def test_assignment_auto_respects_the_batchs_panel_size(demo, city):
    batch = city_batch(experts_per_application=5)
    pool(demo, "甲", "乙", "丙", "丁", "戊")
    created = assignment_auto(application=recommended(demo, batch=batch), actor=city)
    assert len(created) == 5


def test_choose_panel_orders_by_load_then_new_field_then_name(demo):
    bureau = luoyang_bureau(demo)
    a, b, c = (
        member(bureau, make_expert(name), field=field)
        for name, field in [("Expert A", "energy"), ("Expert B", "energy"), ("Expert C", "finance")]
    )

    def names(**kwargs):
        chosen = choose_panel(candidates=[c, b, a], needed=2, **kwargs)
        return [m.expert.full_name for m in chosen]

    assert names(load={}, fields_on_panel=set()) == ["Expert A", "Expert C"]
    assert names(load={}, fields_on_panel={"finance"}) == ["Expert A", "Expert B"]
    assert names(load={a.expert_id: 1}, fields_on_panel=set()) == ["Expert B", "Expert C"]


# --- withdrawal -------------------------------------------------------------------------------


def test_assignment_withdraw_records_and_notifies(demo, city, application):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    with pytest.raises(DomainError, match="须填写理由"):
        assignment_withdraw(assignment=assignment, actor=city, reason="")
    assignment_withdraw(assignment=assignment, actor=city, reason="出差无法参加")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.withdrawal_reason) == (A.WITHDRAWN, "出差无法参加")
    entry = audit_entries_for(subject=application).get(action="expert_withdraw")
    assert entry.data["assignment_to"] == "withdrawn" and "出差无法参加" in entry.comment
    assert Notification.objects.filter(recipient=expert, subject__contains="已撤回").exists()
    # A withdrawn expert is not assigned again, and no longer sees the task.
    with pytest.raises(DomainError, match="已回避该申报"):
        assignment_create(application=application, expert=expert, actor=city)
    assert not assignments_for_expert(user=expert).exists()


@pytest.mark.parametrize("username", ["luoyang-county", "jinan-city", "luoyang-expert"])
def test_assignment_withdraw_refused_to_others(demo, city, application, username):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    with pytest.raises(NotPermitted):
        assignment_withdraw(assignment=assignment, actor=demo[username], reason="x")
    assignment.refresh_from_db()
    assert assignment.status == A.ASSIGNED


def test_assignment_withdraw_refused_after_the_decision(demo, city, application):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    Application.objects.filter(pk=application.pk).update(status="passed")
    with pytest.raises(DomainError, match="评审已有结论"):
        assignment_withdraw(assignment=assignment, actor=city, reason="x")


# --- conflicts declared by the expert ---------------------------------------------------------


def test_conflict_declared_after_assignment_withdraws_it(
    demo, city, application, django_capture_on_commit_callbacks
):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    unrelated = recommended(demo, organisation=demo["luoyang-enterprise2"].organisation)
    other = assignment_create(application=unrelated, expert=expert, actor=city)
    with django_capture_on_commit_callbacks(execute=True):
        conflict_declare(
            expert=expert, organisation=application.organisation, reason="近三年在该企业兼职"
        )
    assignment.refresh_from_db()
    other.refresh_from_db()
    assert assignment.status == A.WITHDRAWN and "近三年在该企业兼职" in assignment.withdrawal_reason
    assert other.status == A.ASSIGNED
    entry = audit_entries_for(subject=application).get(action="expert_recuse")
    assert entry.actor == expert
    assert Notification.objects.filter(recipient=city, subject__contains="专家回避").exists()
    assert list(assignments_for_expert(user=expert)) == [other]


def test_conflict_with_the_agency_withdraws_its_evaluated_applications(demo, city, application):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    conflict_declare(expert=expert, organisation=application.agency, reason="曾在该机构任职")
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN


def test_conflict_leaves_decided_applications_alone(demo, city, application):
    (expert,) = pool(demo, "王评审")
    assignment = assignment_create(application=application, expert=expert, actor=city)
    Application.objects.filter(pk=application.pk).update(status="passed")
    conflict_declare(expert=expert, organisation=application.organisation, reason="兼职")
    assignment.refresh_from_db()
    assert assignment.status == A.ASSIGNED


def test_conflict_declare_refusals(demo):
    expert = demo["luoyang-expert"]
    enterprise = demo["luoyang-enterprise"].organisation
    with pytest.raises(NotPermitted):
        conflict_declare(expert=demo["luoyang-city"], organisation=enterprise, reason="x")
    with pytest.raises(ValidationError, match="请写明利益冲突的原因"):
        conflict_declare(expert=expert, organisation=enterprise, reason="  ")
    with pytest.raises(ValidationError, match="只能对企业、园区或第三方评价机构"):
        conflict_declare(expert=expert, organisation=demo["luoyang-city"].organisation, reason="x")
    organisation = OrganisationFactory(kind="agency", jurisdiction=enterprise.jurisdiction)
    own = make_expert("机构专家", organisation=organisation)
    with pytest.raises(ValidationError, match="是您所在单位"):
        conflict_declare(expert=own, organisation=organisation, reason="x")
    conflict_declare(expert=expert, organisation=enterprise, reason="亲属任职")
    with pytest.raises(DomainError, match="已申报"):
        conflict_declare(expert=expert, organisation=enterprise, reason="再次")
    assert ConflictDeclaration.objects.count() == 1


# --- who sees which assignment ----------------------------------------------------------------


def test_an_expert_sees_only_their_own_assignments(demo, city, application):
    mine, theirs = pool(demo, "甲", "乙")
    assignment = assignment_create(application=application, expert=mine, actor=city)
    other = recommended(demo, organisation=demo["luoyang-park"].organisation)
    assignment_create(application=other, expert=theirs, actor=city)
    assert list(assignments_for_expert(user=mine)) == [assignment]
    visible = set(Application.objects.filter(assigned_applications_q(mine)))
    assert visible == {application}


# --- the guard of start_expert_review ---------------------------------------------------------


def test_start_review_refusals_until_the_panel_is_complete(demo, city, application):
    first, second, *_others = pool(demo, "甲", "乙", "丙", "丁")
    assignment_create(application=application, expert=first, actor=city)
    withdrawn = assignment_create(application=application, expert=second, actor=city)
    assignment_withdraw(assignment=withdrawn, actor=city, reason="回避")
    refusals = start_review_refusals(application=application, actor=city, comment="")
    assert refusals == ["评审组尚未组成：已分配 1 名专家，每项申报需 3 名。"]
    assignment_auto(application=application, actor=city)
    assert start_review_refusals(application=application, actor=city, comment="") == []


@pytest.fixture
def guarded(monkeypatch):
    """The guard registered for start_expert_review, as reviews/apps.py registers it."""
    guards = [g for g in _GUARDS.get("start_expert_review", []) if g is not start_review_refusals]
    monkeypatch.setitem(_GUARDS, "start_expert_review", [*guards, start_review_refusals])


def test_start_expert_review_refused_without_a_full_panel(demo, city, guarded):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    application_transition(application=application, action="recommend", actor=county)
    pool(demo, "甲", "乙", "丙")
    with pytest.raises(DomainError, match="评审组尚未组成：已分配 0 名专家"):
        application_transition(application=application, action="start_expert_review", actor=city)
    assignment_auto(application=application, actor=city)
    application = application_transition(
        application=application, action="start_expert_review", actor=city
    )
    assert application.status == "expert_review"
    assert ExpertMembership.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_two_auto_assignments_at_once_form_one_panel(demo, city, application):
    pool(demo, "甲", "乙", "丙", "丁", "戊", "己")
    outcomes = race(
        lambda: assignment_auto(application=application, actor=city),
        lambda: assignment_auto(application=application, actor=city),
    )
    assert outcomes[0] == "ok" and "评审组已满" in outcomes[1]
    assert ExpertAssignment.objects.filter(application=application).count() == 3
