"""A small, explicit state machine: a table of transitions, each naming the roles allowed.

Pure Python (no ORM). A workflow answers "may this role do this action from this state, and where
does it lead?" and refuses with a clear message otherwise. The service of each aggregate locks
the row, asks its workflow, saves, and writes the audit entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from greenmfg.core.errors import DomainError, NotPermitted


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    label: str
    needs_comment: bool = False
    # Taken only by a command over many records (e.g. 公示 of a whole batch), never by itself.
    by_service: bool = False


class Workflow:
    def __init__(
        self,
        name: str,
        *,
        states: dict[str, str],
        transitions: Iterable[Transition],
        role_labels: dict[str, str] | None = None,
    ):
        self.name = name
        self.states = states
        self.transitions = tuple(transitions)
        self.role_labels = role_labels or {}
        self._by_key = {(t.source, t.action): t for t in self.transitions}
        for transition in self.transitions:
            if transition.source not in states or transition.target not in states:
                raise ValueError(f"{name}: unknown state in {transition}")

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def available(self, state: str, role: str) -> list[Transition]:
        """The transitions this role may take by hand from this state, in table order."""
        return [
            t
            for t in self.transitions
            if t.source == state and role in t.roles and not t.by_service
        ]

    def resolve(
        self, *, state: str, action: str, role: str, comment: str = "", service: str = ""
    ) -> Transition:
        """The transition, or a clear refusal. ``service`` names the command taking a
        ``by_service`` transition; without it such a transition is refused."""
        transition = self._by_key.get((state, action))
        if transition is None:
            labels = {t.action: t.label for t in self.transitions}
            raise DomainError(
                _("当前状态为「%(state)s」，不能执行「%(action)s」。")
                % {"state": self.state_label(state), "action": labels.get(action, action)},
                code="invalid_transition",
            )
        if role not in transition.roles:
            raise NotPermitted(
                _("您的角色（%(role)s）无权执行「%(action)s」。")
                % {"role": self.role_labels.get(role, role), "action": transition.label}
            )
        if transition.by_service and not service:
            raise DomainError(
                _("「%(action)s」不能单独办理，请在相应的批次页面办理。")
                % {"action": transition.label},
                code="service_transition",
            )
        if transition.needs_comment and not comment.strip():
            raise DomainError(
                _("执行「%(action)s」须填写理由。") % {"action": transition.label},
                code="comment_required",
                field="comment",
            )
        return transition
