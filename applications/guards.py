"""Checks and effects other apps attach to an application transition.

A transition's guards run under the application's row lock, just before its state changes,
whichever way the transition was asked for (page, API, admin, task). An app registers its
guards in its AppConfig.ready(); reviews/ registers the county's recommendation checks here, so
applications/ does not have to know about the review models.
"""

from collections import defaultdict
from collections.abc import Callable

Guard = Callable[..., list[str]]

_GUARDS: dict[str, list[Guard]] = defaultdict(list)


def register_guard(action: str, guard: Guard) -> None:
    if guard not in _GUARDS[action]:
        _GUARDS[action].append(guard)


def guard_refusals(*, action: str, application, actor, comment: str) -> list[str]:
    refusals: list[str] = []
    for guard in _GUARDS.get(action, ()):
        refusals.extend(guard(application=application, actor=actor, comment=comment))
    return refusals


Effect = Callable[..., None]

_EFFECTS: dict[str, list[Effect]] = defaultdict(list)


def register_effect(action: str, effect: Effect) -> None:
    """Something another app does after a transition, inside the same transaction."""
    if effect not in _EFFECTS[action]:
        _EFFECTS[action].append(effect)


def run_effects(*, action: str, application, actor, comment: str) -> None:
    for effect in _EFFECTS.get(action, ()):
        effect(application=application, actor=actor, comment=comment)
