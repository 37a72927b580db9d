"""The one transition runner: every one-row state change of an aggregate reads the same way.

lock the row → authorise the actor → resolve (state, action, role) in the aggregate's table →
the guards' refusals → the extra fields → save with ``update_fields`` → the audit row → the
effects, queued until the transaction commits.

Kept apart from :mod:`greenmfg.core.workflow` so the tables stay pure Python (no ORM); the runner
is where the table meets the row.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import models, transaction
from django.utils.translation import gettext as _

from greenmfg.audit.services import audit_record

from .errors import DomainError
from .workflow import Transition, Workflow

# A guard answers "why not?" under the row lock: a list of Chinese refusals, empty when it may.
Guard = Callable[..., list[str]]
# An effect follows a transition that happened (a notice, a derived record).
Effect = Callable[..., None]


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
    audit_comment: str | None = None,
    audit_data: dict | Callable[[models.Model], dict] | None = None,
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
    - ``action_label``, ``audit_comment`` and ``audit_data`` (a dict, or a callable of the saved
      row) shape the audit row when it says more than the table's label and the comment.
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
    audit_record(
        subject=row,
        actor=actor,
        action=action,
        action_label=transition.label if action_label is None else action_label,
        from_state=from_state,
        to_state=transition.target,
        comment=comment if audit_comment is None else audit_comment,
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
