"""API plumbing shared by every app: pagination and the one exception handler."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


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
