"""Exhaustive, database-free checks of a transition table (greenmfg.core.workflow).

Each app's ``test_workflow.py`` writes its table out again as a spec (``step(...)`` rows) and
hands both to these helpers. The spec is the behaviour a reader expects; the table is the code.
A change to either that is not made to the other fails here, so moving a table (issue 15: one
``workflow.py`` per app) cannot quietly change who may do what.

For every (state, action, role) of the product of the table's states, its actions and every role
(``Role`` and any extra role the table names, such as the pool's ``system``):

- a listed step resolves to its target; without a comment it is refused when the step
  ``needs_comment``, and without a service when it is taken ``by_service`` (which also keeps it
  off the page's buttons, ``available``);
- a role not listed for the step is refused with ``NotPermitted`` naming the role and the step;
- an action the state does not have is refused with ``DomainError`` naming the state.

No test here asks for the database: pytest-django blocks it, so a table that read the database
would fail loudly rather than slow the suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from greenmfg.accounts.roles import Role
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.workflow import Workflow

CHINESE = re.compile(r"[\u4e00-\u9fff]")
COMMENT = "经核实，材料齐全。"
SERVICE = "test_workflow"


@dataclass(frozen=True)
class Step:
    """One row of a spec: from ``source``, ``action`` leads to ``target`` for ``roles``."""

    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_comment: bool = False
    by_service: bool = False


def step(
    source: str,
    action: str,
    target: str,
    roles: Iterable[str],
    *,
    comment: bool = False,
    service: bool = False,
) -> Step:
    return Step(
        str(source),
        str(action),
        str(target),
        frozenset(str(role) for role in roles),
        needs_comment=comment,
        by_service=service,
    )


def _as_steps(workflow: Workflow) -> set[Step]:
    return {
        step(t.source, t.action, t.target, t.roles, comment=t.needs_comment, service=t.by_service)
        for t in workflow.transitions
    }


def roles_of(workflow: Workflow, spec: Iterable[Step]) -> list[str]:
    """Every role of the portal, then any role only this table knows (e.g. ``system``)."""
    roles = [str(role) for role in Role.values]
    extra = {str(role) for role in workflow.role_labels} | {
        role for row in spec for role in row.roles
    }
    return roles + sorted(extra - set(roles))


def cases(workflow: Workflow, spec: Iterable[Step]):
    """Parametrize over states × actions × roles, with ids like ``draft-submit-applicant``."""
    spec = tuple(spec)
    actions = sorted({row.action for row in spec} | {t.action for t in workflow.transitions})
    params = [
        pytest.param(str(state), action, role, id=f"{state}-{action}-{role}")
        for state in workflow.states
        for action in actions
        for role in roles_of(workflow, spec)
    ]
    return pytest.mark.parametrize(("state", "action", "role"), params)


def count(workflow: Workflow, spec: Iterable[Step]) -> int:
    spec = tuple(spec)
    actions = {row.action for row in spec} | {t.action for t in workflow.transitions}
    return len(workflow.states) * len(actions) * len(roles_of(workflow, spec))


def check_case(workflow: Workflow, spec: Iterable[Step], state: str, action: str, role: str):
    """Allowed exactly as the spec says, refused with the workflow's Chinese refusal otherwise."""
    row = {(r.source, r.action): r for r in spec}.get((state, action))
    if row is None:
        _assert_no_such_step(workflow, state, action, role)
    elif role not in row.roles:
        _assert_role_refused(workflow, row, role)
    else:
        _assert_allowed(workflow, row, role)


def _refusal(workflow: Workflow, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        workflow.resolve(**kwargs)
    assert CHINESE.search(caught.value.message), caught.value.message
    return caught.value


def _assert_no_such_step(workflow: Workflow, state: str, action: str, role: str) -> None:
    # Even with every reason and the service's word, a step the table lacks is refused.
    error = _refusal(
        workflow, state=state, action=action, role=role, comment=COMMENT, service=SERVICE
    )
    assert type(error) is DomainError
    assert error.code == "invalid_transition"
    assert f"当前状态为「{workflow.state_label(state)}」，不能执行" in error.message
    assert action not in {t.action for t in workflow.available(state, role)}


def _assert_role_refused(workflow: Workflow, row: Step, role: str) -> None:
    error = _refusal(
        workflow, state=row.source, action=row.action, role=role, comment=COMMENT, service=SERVICE
    )
    assert isinstance(error, NotPermitted)
    assert error.code == "not_permitted"
    label = _label(workflow, row)
    role_label = str(workflow.role_labels.get(role, role))
    assert f"您的角色（{role_label}）无权执行「{label}」" in error.message
    assert row.action not in {t.action for t in workflow.available(row.source, role)}


def _assert_allowed(workflow: Workflow, row: Step, role: str) -> None:
    full = {"state": row.source, "action": row.action, "role": role}
    transition = workflow.resolve(**full, comment=COMMENT, service=SERVICE)
    assert (transition.source, transition.action, transition.target) == (
        row.source,
        row.action,
        row.target,
    )
    label = _label(workflow, row)
    service = {"service": SERVICE} if row.by_service else {}
    comment = {"comment": COMMENT} if row.needs_comment else {}

    if row.needs_comment:
        for blank in ("", "  \n"):
            error = _refusal(workflow, **full, **service, comment=blank)
            assert (error.code, error.field) == ("comment_required", "comment")
            assert f"执行「{label}」须填写理由" in error.message
    else:
        assert workflow.resolve(**full, **service).target == row.target

    by_hand = workflow.available(row.source, role)
    if row.by_service:
        error = _refusal(workflow, **full, **comment)
        assert error.code == "service_transition"
        assert f"「{label}」不能单独办理" in error.message
        assert transition not in by_hand
    else:
        assert workflow.resolve(**full, **comment).target == row.target
        assert transition in by_hand


def _label(workflow: Workflow, row: Step) -> str:
    return str(
        next(
            t.label
            for t in workflow.transitions
            if (t.source, t.action) == (row.source, row.action)
        )
    )


def check_table(workflow: Workflow, spec: Iterable[Step], *, entry: Iterable[str]) -> None:
    """The table is the spec, names only its own states, and reaches every target from the
    states a record is created in (``entry``)."""
    spec = tuple(spec)
    keys = [(t.source, t.action) for t in workflow.transitions]
    # A second row for the same (state, action) would be shadowed by the first in resolve.
    assert len(keys) == len(set(keys)), f"{workflow.name}: a (state, action) appears twice"
    assert _as_steps(workflow) == set(spec), f"{workflow.name}: the table is not its spec"
    assert len(spec) == len(set(spec))

    states = set(workflow.states)
    entry = {str(state) for state in entry}
    assert entry <= states
    for t in workflow.transitions:
        assert t.source in states and t.target in states, t
        assert CHINESE.search(str(t.label)), t
    for state in states:
        assert CHINESE.search(workflow.state_label(state)), state

    reachable, frontier = set(entry), list(entry)
    while frontier:
        here = frontier.pop()
        for t in workflow.transitions:
            if t.source == here and t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    unreached = {t.target for t in workflow.transitions} - reachable
    assert not unreached, f"{workflow.name}: never reached from {sorted(entry)}: {unreached}"
