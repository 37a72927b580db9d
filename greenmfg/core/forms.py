from django import forms
from django.core.exceptions import ValidationError

from greenmfg.core.errors import DomainError


def add_service_errors(form: forms.Form, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form, on the field it names where the form has it."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class HtmlDateInput(forms.DateInput):
    """A browser date picker. It reads and writes ISO dates whatever the locale: the zh-hans
    format (2026/11/27) would leave a type="date" input looking empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
