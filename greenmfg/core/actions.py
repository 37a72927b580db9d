"""One error story for the views: POST → call the service → show its refusal or success → redirect.

Services refuse with ``DomainError`` (one message, or several ``reasons``) or Django's
``ValidationError``. The views used to turn these into flash messages by hand, each a little
differently; ``act`` is the one way for action views whose error path is a redirect, and
``act_on_form`` the one way for form pages, whose error path keeps what was entered.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

from greenmfg.core.errors import DomainError
from greenmfg.core.forms import add_service_errors

# A fixed success message, one built from what the service returned, or none at all. A view
# whose outcome is not always a success (a late report is a warning) returns its messages as
# (level, text) pairs, e.g. ``[(messages.WARNING, text)]``.
Flashes = Iterable[tuple[int, str]]
Success = str | Callable[[Any], str | Flashes | None] | None
# Where to go: anything ``django.shortcuts.redirect`` takes, or a function of the result.
Target = Any


def refusal_messages(
    error: DomainError | ValidationError,
    *,
    labels: Mapping[str, str] | None = None,
    brief: bool = False,
    separator: str = " ",
) -> list[str]:
    """The messages a refusal shows: every reason of a DomainError (else its message); one
    per error of a ValidationError, after the field's label when the view names one.

    ``brief`` shows one message only: a DomainError's own message (its reasons are already
    in it, or the page lists them), a ValidationError's messages joined by ``separator``."""
    if brief:
        if isinstance(error, DomainError):
            return [error.message]
        return [separator.join(error.messages)]
    if isinstance(error, DomainError):
        return error.reasons or [error.message]
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    labels = labels or {}
    shown = []
    for field, field_messages in error.message_dict.items():
        label = labels.get(field) if field != NON_FIELD_ERRORS else None
        shown.extend(f"{label}：{message}" if label else message for message in field_messages)
    return shown


def _succeeded(request: HttpRequest, success: Success, result: Any) -> None:
    shown = success(result) if callable(success) else success
    if not shown:
        return
    if isinstance(shown, str | Promise):  # a lazy translation is text too
        messages.success(request, shown)
        return
    for level, text in shown:
        messages.add_message(request, level, text)


def _target(redirect_to: Target, result: Any) -> Target:
    return redirect_to(result) if callable(redirect_to) else redirect_to


def act(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: Success,
    redirect_to: Any,
    labels: Mapping[str, str] | None = None,
    brief: bool = False,
    separator: str = " ",
) -> HttpResponse:
    """Run ``call()``; flash its refusal (see ``refusal_messages``) or ``success``, and
    redirect to ``redirect_to`` (anything ``django.shortcuts.redirect`` takes) either way."""
    try:
        result = call()
    except (ValidationError, DomainError) as error:
        for message in refusal_messages(error, labels=labels, brief=brief, separator=separator):
            messages.error(request, message)
    else:
        _succeeded(request, success, result)
    return redirect(redirect_to)


def act_on_form(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    *,
    success: Success,
    redirect_to: Target,
) -> HttpResponse | None:
    """Run ``call()`` for a valid form. A refusal goes onto the form (on the field it names)
    and None is returned, so that the view re-renders the form with everything entered; on
    success, flash ``success`` and return the redirect (``redirect_to`` may be a function of
    what the service returned, e.g. the record it created). A form that places refusals in its
    own way (its fields are not the service's) has its ``add_service_errors`` method used."""
    try:
        result = call()
    except (ValidationError, DomainError) as error:
        place = getattr(form, "add_service_errors", None)
        if place is not None:
            place(error)
        else:
            add_service_errors(form, error)
        return None
    _succeeded(request, success, result)
    return redirect(_target(redirect_to, result))
