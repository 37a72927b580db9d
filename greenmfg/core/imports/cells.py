"""Cell parsers that several importers' columns share (a :class:`~.spec.Column`'s ``parse``):
each takes the cell's stripped text and returns the value, or raises :class:`~.spec.CellError`
with the importer's own message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from greenmfg.core.imports.spec import CellError

__all__ = ["collapse_spaces", "email_address", "short_text"]


def collapse_spaces(text: str) -> str:
    """The text with each run of white space (line breaks, full-width spaces) made one space."""
    return " ".join(text.split())


def short_text(max_length: int, too_long: str) -> Callable[[str], str]:
    """A parser of a name or title: white space collapsed, at most ``max_length`` characters;
    ``too_long`` is the refusal, given the length as ``%(n)d``."""

    def parse(text: str) -> str:
        value = collapse_spaces(text)
        if len(value) > max_length:
            raise CellError(str(too_long) % {"n": max_length})
        return value

    return parse


def email_address(
    invalid: str,
    *,
    max_length: int | None = None,
    too_long: str = "",
    lowercase: bool = False,
) -> Callable[[str], str]:
    """A parser of an e-mail address, its domain lower-cased (the whole address with
    ``lowercase``); ``invalid`` is the refusal of an address that is none, given the cell's text
    as ``%(value)s``, and ``too_long`` that of one over ``max_length`` (``%(n)d``)."""

    def parse(text: str) -> str:
        email = BaseUserManager.normalize_email(text)
        if max_length is not None and len(email) > max_length:
            raise CellError(str(too_long) % {"n": max_length})
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(str(invalid) % {"value": text}) from None
        return email.lower() if lowercase else email

    return parse
