"""One audit row per change (issue 20.6): every step of every transition table, taken on a row
in its source state, writes exactly one AuditEntry naming the actor, the state left and the
state reached.

The tables are found, not listed: every installed app's ``workflow.py`` is read for its
``Workflow`` objects, so a new table or a new step is walked here at once (it needs a builder
below, else the test fails and says which). Each step runs through the door the pages use:
the one runner, :func:`greenmfg.core.transitions.run_transition`, for the tables it serves (the
row set to the step's source state, the runner given the step's role); the services themselves
for the two tables that step without it: the expert pool (its state is ``is_active``) and the
expert assignments (withdrawn, recused, or submitted with the score sheet; their one row is on
the application's trail, the assignment's states in its data). The services' guards (deadlines,
documents, quotas) are theirs to test; here the question is only how many rows one change
writes. A last check reads the services: none that steps through the runner writes a row of
its own beside it, but the one listed with its reason.
"""

import ast
import importlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from applications.models import CultivationCandidate
from applications.workflow import application_workflow, batch_workflow, pool_workflow
from dynamic_mgmt.models import ChangeReport, ReReviewCase
from dynamic_mgmt.workflow import (
    annual_table_workflow,
    change_workflow,
    re_review_workflow,
    removal_workflow,
)
from greenmfg.audit.models import AuditEntry
from greenmfg.core import clock
from greenmfg.core.transitions import run_transition, run_transition_many
from greenmfg.core.workflow import Transition, Workflow
from greenmfg.directory.models import Organisation
from greenmfg.directory.workflow import organisation_workflow
from registry.models import Listing
from registry.workflow import complaint_workflow, listing_workflow
from reviews.models import ExpertAssignment, ExpertMembership, Objection, Publicity, PublicityItem
from reviews.services.expert import (
    assignment_withdraw,
    conflict_declare,
    expert_deactivate,
    expert_reactivate,
)
from reviews.workflow import (
    ACTIVE,
    assignment_workflow,
    membership_workflow,
    objection_workflow,
    publicity_workflow,
    sheet_workflow,
)
from tests.factories import (
    AnnualTableFactory,
    ApplicationFactory,
    BatchFactory,
    ComplaintFactory,
    EngagementFactory,
    ExpertAssignmentFactory,
    ExpertFactory,
    ListingFactory,
    OrganisationFactory,
    RemovalProposalFactory,
    ScoreSheetFactory,
    UserFactory,
    bureau_user,
    demo_place,
    luoyang_bureau,
)
from tests.factories.applications import LUOYANG_COUNTY
from tests.reviews.test_sheets import (  # noqa: F401 (boundary_template is a fixture)
    boundary_application,
    boundary_template,
    submit_scores,
)
from thirdparty.models import AgencyProfile
from thirdparty.workflow import engagement_workflow, profile_workflow

pytestmark = pytest.mark.django_db

COMMENT = "经核实，情况属实。"


def _candidate():
    return CultivationCandidate.objects.create(
        county=demo_place(LUOYANG_COUNTY),
        organisation=OrganisationFactory(),
        target_unit_type="factory",
        target_year=clock.today().year,
        plan="三年培育计划",
        created_by=bureau_user(luoyang_bureau()),
    )


def _publicity():
    return Publicity.objects.create(
        batch=BatchFactory(),
        title="拟入选名单公示",
        starts_on=clock.today(),
        ends_on=clock.today() + timedelta(days=7),
        contact="0379-12345678",
        created_by=bureau_user(luoyang_bureau()),
    )


def _objection():
    publicity = _publicity()
    item = PublicityItem.objects.create(
        publicity=publicity,
        application=ApplicationFactory(batch=publicity.batch, status="in_publicity"),
        position=1,
    )
    return Objection.objects.create(
        item=item,
        tracking_code="T00001",
        name="王五",
        organisation_or_id="某公司",
        phone="13800000000",
        content="数据不实",
    )


def _change_report():
    listing = ListingFactory()
    return ChangeReport.objects.create(
        listing=listing,
        reported_by=UserFactory(organisation=listing.organisation),
        kind="name",
        new_value="新名称",
        formalities_on=clock.today() - timedelta(days=5),
        reported_on=clock.today(),
        description="更名",
    )


def _re_review():
    return ReReviewCase.objects.create(
        listing=ListingFactory(), due_on=clock.today() + timedelta(days=30)
    )


def _agency_profile():
    return AgencyProfile.objects.create(
        organisation=OrganisationFactory(kind=Organisation.Kind.AGENCY),
        legal_representative="张法人",
        legal_representative_id="110101199001010015",
        independent_legal_entity=True,
        has_fixed_office=True,
        has_finance_system=True,
        staff_compliance=True,
        evaluation_capability=True,
    )


# Each table runner-driven: a builder of a row (in any state; the walk sets the source state).
BUILDERS: dict[str, Callable[[], models.Model]] = {
    application_workflow.name: ApplicationFactory,
    batch_workflow.name: BatchFactory,
    pool_workflow.name: _candidate,
    sheet_workflow.name: ScoreSheetFactory,
    publicity_workflow.name: _publicity,
    objection_workflow.name: _objection,
    annual_table_workflow.name: AnnualTableFactory,
    change_workflow.name: _change_report,
    removal_workflow.name: RemovalProposalFactory,
    re_review_workflow.name: _re_review,
    organisation_workflow.name: OrganisationFactory,
    listing_workflow.name: ListingFactory,
    complaint_workflow.name: ComplaintFactory,
    profile_workflow.name: _agency_profile,
    engagement_workflow.name: EngagementFactory,
}

# Tables whose services take their steps without the runner, walked through those services
# below: the expert pool keeps its state in ``is_active``; an assignment's steps are recorded on
# its application's trail (where the panel is shown), its states in the row's data.
SERVICE_WALKED = {membership_workflow.name, assignment_workflow.name}

# Steps not walked, each with its reason. Empty: every step of every table is walked. A step
# added here must also stop being walked, and one listed here that the walk reaches fails.
NOT_WALKED: dict[tuple[str, str, str], str] = {}


def all_workflows() -> list[Workflow]:
    found = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.workflow")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.workflow":
                raise
            continue
        for value in vars(module).values():
            if isinstance(value, Workflow):
                found[value.name] = value
    return sorted(found.values(), key=lambda workflow: workflow.name)


def steps() -> list[tuple[Workflow, Transition]]:
    return [
        (workflow, transition)
        for workflow in all_workflows()
        for transition in workflow.transitions
    ]


def key(workflow: Workflow, transition: Transition) -> tuple[str, str, str]:
    return (workflow.name, str(transition.source), transition.action)


def test_every_step_is_walked_or_listed_with_a_reason():
    names = {workflow.name for workflow in all_workflows()}
    known = set(BUILDERS) | SERVICE_WALKED
    assert names - known == set(), "a table with no builder here: add one, or list its steps"
    assert known - names == set(), "a builder for a table the discovery no longer finds"
    every = {key(workflow, transition) for workflow, transition in steps()}
    assert set(NOT_WALKED) <= every, f"listed, but no such step: {set(NOT_WALKED) - every}"
    assert len(every) == sum(len(workflow.transitions) for workflow in all_workflows())


def entries_for(row: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(row), object_id=str(row.pk)
    )


@pytest.mark.parametrize(
    ("workflow", "transition"),
    [
        (workflow, transition)
        for workflow, transition in steps()
        if workflow.name not in SERVICE_WALKED and key(workflow, transition) not in NOT_WALKED
    ],
    ids=lambda value: value.name if isinstance(value, Workflow) else key_id(value),
)
def test_a_step_writes_one_audit_row(demo, workflow, transition):
    row = BUILDERS[workflow.name]()
    type(row)._default_manager.filter(pk=row.pk).update(status=transition.source)
    actor = demo["admin"]
    before = AuditEntry.objects.count()

    with transaction.atomic():
        run_transition(
            workflow=workflow,
            instance=row,
            action=transition.action,
            actor=actor,
            role=sorted(transition.roles)[0],
            comment=COMMENT,
            service="test_one_row_per_change" if transition.by_service else "",
        )

    assert AuditEntry.objects.count() == before + 1
    (entry,) = entries_for(row)
    assert (entry.actor, entry.from_state, entry.to_state) == (
        actor,
        str(transition.source),
        str(transition.target),
    )
    row.refresh_from_db()
    assert row.status == transition.target


def key_id(transition: Transition) -> str:
    return f"{transition.source}-{transition.action}"


def test_the_expert_pool_writes_one_row_per_change(demo):
    bureau = luoyang_bureau()
    actor = bureau_user(bureau)
    membership = ExpertMembership.objects.create(
        authority=bureau,
        expert=ExpertFactory(),
        field="energy",
        title="高级工程师",
        active_from=clock.today().year,
    )
    walked = set()

    expert_deactivate(membership=membership, actor=actor, reason=COMMENT)
    walked.add((ACTIVE, "deactivate"))
    expert_reactivate(membership=membership, actor=actor)
    walked.add((membership_workflow.transitions[1].source, "reactivate"))

    entries = list(entries_for(membership).order_by("id"))
    assert [(e.actor, e.action, e.from_state, e.to_state) for e in entries] == [
        (actor, t.action, str(t.source), str(t.target)) for t in membership_workflow.transitions
    ]
    assert walked == {(str(t.source), t.action) for t in membership_workflow.transitions}


A = ExpertAssignment.Status


def assigned(status=A.ASSIGNED) -> ExpertAssignment:
    assignment = ExpertAssignmentFactory()
    ExpertAssignment.objects.filter(pk=assignment.pk).update(status=status)
    assignment.refresh_from_db()
    return assignment


def assignment_steps(demo) -> dict[tuple[str, str], Callable[[], tuple]]:
    """Each step of the assignment table, taken through the service the pages call; each
    returns (the application, the actor)."""

    def submit():
        application, (assignment,) = boundary_application(demo, experts=1)
        submit_scores([assignment], ["85"])
        return application, assignment.expert

    def withdraw(status):
        assignment = assigned(status)
        actor = bureau_user(assignment.application.batch.authority)
        assignment_withdraw(assignment=assignment, actor=actor, reason=COMMENT)
        return assignment.application, actor

    def recuse(status):
        assignment = assigned(status)
        application = assignment.application
        conflict_declare(
            expert=assignment.expert, organisation=application.organisation, reason=COMMENT
        )
        return application, assignment.expert

    return {
        (A.ASSIGNED, "submit"): submit,
        (A.ASSIGNED, "withdraw"): lambda: withdraw(A.ASSIGNED),
        (A.SUBMITTED, "withdraw"): lambda: withdraw(A.SUBMITTED),
        (A.ASSIGNED, "recuse"): lambda: recuse(A.ASSIGNED),
        (A.SUBMITTED, "recuse"): lambda: recuse(A.SUBMITTED),
    }


@pytest.mark.parametrize("transition", assignment_workflow.transitions, ids=key_id)
def test_an_assignment_step_writes_one_row_on_its_application(
    demo,
    boundary_template,  # noqa: F811 (the imported fixture)
    transition,
):
    walk = assignment_steps(demo)
    assert set(walk) == {(t.source, t.action) for t in assignment_workflow.transitions}

    application, actor = walk[(transition.source, transition.action)]()

    # The application (built by factories, with no trail) gets the step's one row. A recusal
    # also records the declaration itself, on the declaration: a new record, not this change.
    (entry,) = entries_for(application)
    assert entry.actor == actor
    assert (entry.data["assignment_from"], entry.data["assignment_to"]) == (
        str(transition.source),
        str(transition.target),
    )


# A service that takes a step through the runner gets its one row from the runner; one that also
# writes a row itself records the change twice. The functions that call both, with why not.
RUNNER_AND_OWN_ROW = {
    # An agency's edit of its profile: the "edit" row when the profile is not approved, else the
    # reopening (approved → submitted) carrying the edit in its data. It wrote both until
    # issue 20.6 (tests/thirdparty/test_transition_doors.py).
    ("thirdparty/services/profile.py", "_changed"),
}


def test_no_service_writes_a_second_row_beside_the_runner():
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in sorted(root.glob("*/services/*.py")) + sorted(root.glob("greenmfg/*/services*.py")):
        if ".venv" in path.parts:
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef):
                continue
            called = {
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                for node in ast.walk(function)
                if isinstance(node, ast.Call)
            }
            if "run_transition" in called and called & {"audit_record", "audit_each"}:
                found.add((path.relative_to(root).as_posix(), function.name))
    assert found == RUNNER_AND_OWN_ROW


# The set-based twin of the runner, which the nightly sweeps take on listings
# (registry.services.listing), writes one row per row moved too: walk each listing step on a
# page of two rows, the service being the actor (none). Not the steps that need a comment
# (fail_re_review, remove): the twin resolves the table without one, so it leaves such rows
# alone; no sweep takes them (the one caller, dynamic_mgmt.schedule, starts re-reviews).
@pytest.mark.parametrize(
    "transition",
    [t for t in listing_workflow.transitions if t.source and not t.needs_comment],
    ids=key_id,
)
def test_a_set_based_step_writes_one_row_per_row_moved(demo, transition):
    rows = ListingFactory.create_batch(2)
    Listing.objects.filter(pk__in=[row.pk for row in rows]).update(status=transition.source)

    with transaction.atomic():
        moved = run_transition_many(
            workflow=listing_workflow,
            queryset=Listing.objects.filter(pk__in=[row.pk for row in rows]),
            action=transition.action,
            service="test_one_row_per_change",
            role=sorted(transition.roles)[0],
            comment=COMMENT,
        )

    assert len(moved) == 2
    for row in rows:
        (entry,) = entries_for(row)
        assert (entry.actor, entry.from_state, entry.to_state) == (
            None,
            str(transition.source),
            str(transition.target),
        )
