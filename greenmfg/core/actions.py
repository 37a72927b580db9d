"""One error story for the views: POST → call the service → show its refusal or success → redirect.

Services refuse with ``DomainError`` (one message, or several ``reasons``) or Django's
``ValidationError``. The views used to turn these into flash messages by hand, each a little
differently; ``act`` is the one way for action views whose error path is a redirect, and
``act_on_form`` the one way for form pages, whose error path keeps what was entered.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .errors import DomainError
from .forms import add_service_errors

# A fixed success message, one built from what the service returned, or none at all.
Success = str | Callable[[Any], str] | None


def refusal_messages(
    error: DomainError | ValidationError, *, labels: Mapping[str, str] | None = None
) -> list[str]:
    """The messages a refusal shows: every reason of a DomainError (else its message); one
    per error of a ValidationError, after the field's label when the view names one."""
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
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def act(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: Success,
    redirect_to: Any,
    labels: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Run ``call()``; flash its refusal (see ``refusal_messages``) or ``success``, and
    redirect to ``redirect_to`` (anything ``django.shortcuts.redirect`` takes) either way."""
    try:
        result = call()
    except (ValidationError, DomainError) as error:
        for message in refusal_messages(error, labels=labels):
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
    redirect_to: Any,
) -> HttpResponse | None:
    """Run ``call()`` for a valid form. A refusal goes onto the form (on the field it names)
    and None is returned, so that the view re-renders the form with everything entered; on
    success, flash ``success`` and return the redirect."""
    try:
        result = call()
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        return None
    _succeeded(request, success, result)
    return redirect(redirect_to)
