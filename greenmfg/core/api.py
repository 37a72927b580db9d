"""API plumbing shared by every app: pagination, ids read from a request, and the one exception
handler."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from greenmfg.core.errors import DomainError

# The largest id a BigAutoField holds. A bigger number names no row, and SQLite cannot even bind
# it as a query parameter (OverflowError), so it is refused before it reaches the database.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a row in a request body: a positive integer that fits the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def parse_id(raw) -> int | None:
    """``raw`` (text from the path or the query string) as an id, or None if it is not one.

    ``str.isdigit()`` alone lets through digits ``int()`` refuses (``²``) and numbers too big for
    the database; the router lets any text through the path (``null``).
    """
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def id_or_404(raw) -> int:
    """The id in the URL, or 404 when the URL holds no id at all."""
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Domain refusals become 400/403 with their message; model validation becomes a 400."""
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        if exc.reasons:
            body["reasons"] = exc.reasons
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = DrfValidationError(detail=detail)
    return drf_exception_handler(exc, context)


def error_response(message: str, *, code: str = "invalid") -> Response:
    return Response({"detail": message, "code": code}, status=status.HTTP_400_BAD_REQUEST)
