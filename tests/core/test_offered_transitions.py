"""offered_transitions and transition_refusals (greenmfg.core.transitions): the steps a page
offers, may-first, and why the service would refuse one, without a database."""

from types import SimpleNamespace

from greenmfg.core.errors import DomainError
from greenmfg.core.transitions import PREVIEW_COMMENT, offered_transitions, transition_refusals
from greenmfg.core.workflow import Transition, Workflow

FLOW = Workflow(
    "door",
    states={"shut": "关", "open": "开"},
    transitions=[
        Transition("shut", "open", "open", frozenset({"keeper"}), "开门"),
        Transition("shut", "force", "open", frozenset({"keeper"}), "撬门", needs_comment=True),
        Transition("shut", "paint", "shut", frozenset({"keeper"}), "刷漆"),
        Transition("shut", "sweep", "shut", frozenset({"keeper"}), "清扫", by_service=True),
    ],
)
KEEPER = SimpleNamespace(effective_role="keeper")
DOOR = SimpleNamespace(status="shut")


def test_offered_steps_come_may_first_in_table_order_without_service_steps():
    rows = offered_transitions(
        workflow=FLOW,
        state="shut",
        role="keeper",
        refusals=lambda t: ["锁着"] if t.action == "open" else [],
    )

    assert [(row["transition"].action, row["refusals"]) for row in rows] == [
        ("force", []),
        ("paint", []),
        ("open", ["锁着"]),
    ]


def test_excluded_actions_are_not_offered():
    rows = offered_transitions(workflow=FLOW, state="shut", role="keeper", exclude={"paint"})

    assert [row["transition"].action for row in rows] == ["open", "force"]


def test_refusals_are_the_guards_asked_with_the_preview_comment():
    seen = []

    def guard(row, *, transition, actor, comment):
        seen.append(comment)
        return ["未经许可"]

    refusals = transition_refusals(
        workflow=FLOW, instance=DOOR, action="force", actor=KEEPER, guards=[guard]
    )

    assert refusals == ["未经许可"] and seen == [PREVIEW_COMMENT]


def test_a_raising_check_or_guard_refuses_with_its_reasons_or_its_message():
    def check(row):
        raise DomainError("不在辖区内", code="not_permitted")

    def guard(row, *, transition, actor, comment):
        raise DomainError("两条理由", reasons=["一", "二"])

    assert transition_refusals(
        workflow=FLOW, instance=DOOR, action="open", actor=KEEPER, check=check
    ) == ["不在辖区内"]
    assert transition_refusals(
        workflow=FLOW, instance=DOOR, action="open", actor=KEEPER, guards=[guard]
    ) == ["一", "二"]
    # The table's own refusal: another role.
    stranger = SimpleNamespace(effective_role="visitor")
    assert transition_refusals(workflow=FLOW, instance=DOOR, action="open", actor=stranger)
