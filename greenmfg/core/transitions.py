"""The one transition runner: every one-row state change of an aggregate reads the same way.
Its set-based twin, :func:`run_transition_many`, serves the nightly sweeps.

lock the row → authorise the actor → resolve (state, action, role) in the aggregate's table →
the guards' refusals → the extra fields → save with ``update_fields`` → the audit row → the
effects, queued until the transaction commits.

Kept apart from :mod:`greenmfg.core.workflow` so the tables stay pure Python (no ORM); the runner
is where the table meets the row.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from greenmfg.audit.services import audit_each, audit_record
from greenmfg.core.errors import DomainError
from greenmfg.core.workflow import Transition, Workflow

# A guard answers "why not?" under the row lock: a list of Chinese refusals, empty when it may.
Guard = Callable[..., list[str]]
# An effect follows a transition that happened (a notice, a derived record).
Effect = Callable[..., None]

# Guards are previewed with a comment given, so that a refusal the form's own 说明 field answers
# ("推荐须在说明中写明理由") does not disable the button: the service still checks the real one.
PREVIEW_COMMENT = "—"


def run_transition(
    *,
    workflow: Workflow,
    instance: models.Model,
    action: str,
    actor,
    comment: str = "",
    service: str = "",
    role: str | None = None,
    queryset: models.QuerySet | None = None,
    check: Callable[[models.Model], None] | None = None,
    guards: Iterable[Guard] = (),
    before_save: Callable[[models.Model, Transition], None] | None = None,
    update_fields: Sequence[str] = (),
    action_label: str | None = None,
    audit_action: str | None = None,
    audit_comment: str | Callable[[models.Model], str] | None = None,
    audit_data: dict | Callable[[models.Model], dict] | None = None,
    audit_subject: Callable[[models.Model], models.Model] | None = None,
    effects: Iterable[Effect] = (),
    on_commit: bool = True,
    state_field: str = "status",
) -> models.Model:
    """Take ``action`` on ``instance`` for ``actor``; the locked, saved row is returned.

    Must run inside ``transaction.atomic``: the row is re-read with ``select_for_update`` (from
    ``queryset`` when the checks need related rows), so a refusal, raised before anything is
    written, leaves the row and the trail as they were.

    - ``check(row)`` may raise before the table is asked: NotPermitted for who the actor is, or
      a missing input, as the services always did; ``role`` defaults to ``actor.effective_role``.
    - ``guards``: each ``guard(row, transition=..., actor=..., comment=...)`` returns refusals;
      together they are raised as one DomainError ``transition_refused``. A guard whose refusal
      has its own code or field raises its DomainError itself. Guards see the row before its
      state changes.
    - ``before_save(row, transition)`` sets the fields the action changes beside the state (named
      in ``update_fields``); it may still refuse, nothing being written yet.
    - ``audit_action`` names the audit row's action where the trail has always used another
      word than the table's action (a 复审 case's ``extended``).
    - ``action_label``, ``audit_comment`` and ``audit_data`` (each a value, or a callable of the
      saved row) shape the audit row when it says more than the table's label and the comment.
    - ``audit_subject(row)`` names the record whose trail the row is written on, where a step
      has always been shown on another record's page (a score sheet's submission is on the
      application's trail).
    - ``effects``: each ``effect(row, transition=..., actor=..., comment=...)`` runs once, after
      the commit; with ``on_commit=False`` right after the audit row, inside the transaction
      (where a service has always written its notices there, with the change).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("run_transition must be called inside transaction.atomic")
    model = type(instance)
    rows = queryset if queryset is not None else model._default_manager.all()
    row = rows.select_for_update(of=("self",)).get(pk=instance.pk)
    if check is not None:
        check(row)
    from_state = getattr(row, state_field)
    transition = workflow.resolve(
        state=from_state,
        action=action,
        role=role if role is not None else actor.effective_role,
        comment=comment,
        service=service,
    )
    refusals: list[str] = []
    for guard in guards:
        refusals.extend(guard(row, transition=transition, actor=actor, comment=comment))
    if refusals:
        raise DomainError(
            _("暂不能%(action)s：") % {"action": transition.label} + "；".join(refusals),
            code="transition_refused",
            reasons=refusals,
        )
    setattr(row, state_field, transition.target)
    if before_save is not None:
        before_save(row, transition)
    row.save(update_fields=[state_field, *(f for f in update_fields if f != state_field)])
    data = audit_data(row) if callable(audit_data) else audit_data
    if audit_comment is None:
        audit_comment = comment
    audit_record(
        subject=row if audit_subject is None else audit_subject(row),
        actor=actor,
        action=action if audit_action is None else audit_action,
        action_label=transition.label if action_label is None else action_label,
        from_state=from_state,
        to_state=transition.target,
        comment=audit_comment(row) if callable(audit_comment) else audit_comment,
        data=data,
        state_labels=workflow.states,
    )
    for effect in effects:
        if not on_commit:
            effect(row, transition=transition, actor=actor, comment=comment)
            continue
        transaction.on_commit(
            lambda effect=effect: effect(row, transition=transition, actor=actor, comment=comment)
        )
    return row


@dataclass(frozen=True)
class Moved:
    """One row a set-based transition moved: the row as read under the lock (its state field
    now set to the target), the state it left and the step taken."""

    row: models.Model
    from_state: str
    transition: Transition


def run_transition_many(
    *,
    workflow: Workflow,
    queryset: models.QuerySet,
    action: str,
    service: str,
    role: str,
    comment: str | Mapping[int, str] = "",
    changes: Mapping[str, object] | None = None,
    before_audit: Callable[[list[Moved]], None] | None = None,
    action_label: str | None = None,
    audit_action: str | None = None,
    audit_data: dict | Callable[[Moved], dict] | None = None,
    state_field: str = "status",
) -> list[Moved]:
    """:func:`run_transition` for a sweep's page, by the service (no user), set-based.

    The rows of ``queryset`` (with what ``str(row)`` reads for the trail already joined) are
    locked in one statement, in id order. Each state among them is resolved once in the table
    (as ``role``, for ``service``); rows whose state does not allow ``action`` are left alone.
    Then one UPDATE per state left sets the target and ``changes``, ``before_audit(moved)``
    writes what the aggregate keeps beside its trail (a listing's history), and one INSERT
    writes the audit rows :func:`audit_record` would have written one by one, by the system.
    ``comment`` is one text, or one per row id. Call inside the page's transaction; the rows
    moved come back, in id order.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("run_transition_many must be called inside transaction.atomic")
    rows = list(queryset.select_for_update(of=("self",)).order_by("pk"))
    transitions: dict[str, Transition] = {}
    for state in {getattr(row, state_field) for row in rows}:
        try:
            transitions[state] = workflow.resolve(
                state=state, action=action, role=role, service=service
            )
        except DomainError:  # the action does not leave this state: those rows are skipped
            continue
    moved = [
        Moved(row, getattr(row, state_field), transitions[getattr(row, state_field)])
        for row in rows
        if getattr(row, state_field) in transitions
    ]
    model = queryset.model
    for state, transition in transitions.items():
        if transition.target == state and not changes:
            continue
        ids = [item.row.pk for item in moved if item.from_state == state]
        model._default_manager.filter(pk__in=ids, **{state_field: state}).update(
            **{state_field: transition.target, **(changes or {})}
        )
    for item in moved:
        setattr(item.row, state_field, item.transition.target)
        for field, value in (changes or {}).items():
            setattr(item.row, field, value)
    if before_audit is not None and moved:
        before_audit(moved)
    audit_each(
        model,
        (
            (
                item.row.pk,
                str(item.row),
                {
                    "action": action if audit_action is None else audit_action,
                    "action_label": item.transition.label if action_label is None else action_label,
                    "from_state": item.from_state,
                    "to_state": item.transition.target,
                    "comment": comment.get(item.row.pk, "")
                    if isinstance(comment, Mapping)
                    else comment,
                    "data": audit_data(item) if callable(audit_data) else audit_data,
                    "state_labels": workflow.states,
                },
            )
            for item in moved
        ),
    )
    return moved


def transition_refusals(
    *,
    workflow: Workflow,
    instance: models.Model,
    action: str,
    actor,
    role: str | None = None,
    check: Callable[[models.Model], None] | None = None,
    guards: Iterable[Guard] = (),
    comment: str = PREVIEW_COMMENT,
    state_field: str = "status",
) -> list[str]:
    """Why :func:`run_transition` would refuse ``action`` on ``instance`` now (empty when it
    would not): the same ``check``, table and ``guards`` the service passes it, read without a
    lock and without writing. A check or guard that raises its own DomainError refuses with its
    reasons (or its message), as the service would."""
    try:
        if check is not None:
            check(instance)
        transition = workflow.resolve(
            state=getattr(instance, state_field),
            action=action,
            role=role if role is not None else actor.effective_role,
            comment=comment,
        )
        refusals: list[str] = []
        for guard in guards:
            refusals.extend(guard(instance, transition=transition, actor=actor, comment=comment))
    except DomainError as error:
        return list(error.reasons or [error.message])
    return [str(refusal) for refusal in refusals]


def offered_transitions(
    *,
    workflow: Workflow,
    state: str,
    role: str,
    refusals: Callable[[Transition], list[str]] | None = None,
    exclude: Iterable[str] = (),
) -> list[dict]:
    """The steps the table offers ``role`` by hand from ``state`` (less the actions in
    ``exclude``), each as ``{"transition", "refusals"}``: ``refusals(transition)`` says why the
    service would refuse it now. The steps that may be taken come first, in table order: the
    first of them is the page's next action; the refused ones are shown disabled with their
    reasons (templates/includes/transition_forms.html)."""
    left_out = set(exclude)
    rows = [
        {"transition": t, "refusals": list(refusals(t)) if refusals is not None else []}
        for t in workflow.available(state, role)
        if t.action not in left_out
    ]
    return sorted(rows, key=lambda row: bool(row["refusals"]))
