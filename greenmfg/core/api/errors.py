"""How the API answers a refusal: one error shape for every 4xx and 5xx (issues 19.2, 20).

Every 4xx of the API is an RFC 9457 problem document, served as ``application/problem+json``
(the browsable API still shows it as a page)::

    {
      "type": "about:blank",
      "title": "请求有误",            # the status's phrase, in the user's language
      "status": 400,
      "detail": "批次「…」当前不在申报期内。",   # what went wrong, in the user's language
      "code": "invalid",             # stable, for programs: see below
      "errors": [                    # field errors, possibly empty; field null = the whole request
        {"field": "batch", "code": "invalid", "message": "批次「…」当前不在申报期内。"}
      ],
      "reasons": ["…", "…"],         # only when a command was refused for several reasons
      "existing_id": 12              # only on a 409: the object that is already there
    }

``type`` is ``about:blank``: the problem's kind is told by ``status`` and, more finely, by
``code``. The codes are DRF's for its own refusals (``invalid``, ``parse_error``,
``not_authenticated``, ``authentication_failed``, ``permission_denied``, ``not_found``,
``method_not_allowed``, ``not_acceptable``, ``unsupported_media_type``, ``throttled``) and the
domain's own for a business rule (``DomainError.code``: ``not_permitted``, ``duplicate``,
``intake`` …). ``errors`` carries one entry per message, with the field's dotted path
(``documents.0.kind``) and the field validator's code (``required``, ``max_length`` …); a
validation error's own ``code`` is ``invalid``, or the code of a refusal of the whole request
when that is all there is (an import file refused whole). A 409 (``core.errors.Conflict``) is
a create that would duplicate what a view names in ``conflict_actions``.

A 401 carries ``WWW-Authenticate: Token`` and a 429 ``Retry-After`` (seconds). A server error is
a problem document too (``greenmfg.core.views.server_error``): 500 ``server_error``, or 503
``unavailable`` with ``Retry-After`` while the database is restarting or unreachable. Every message
goes through the translation catalogue; in a Chinese response, a message that arrived in
English (a library's default with no catalogue entry, e.g. Django's "No Application matches the
given query.") is replaced by our own Chinese one for its code.

``ErrorResponses`` is the part of the portal's schema class that documents those answers on
every operation that can give them, with one ``Problem`` component.
"""

import math
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, permissions
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from greenmfg.core.errors import Conflict, DomainError

PROBLEM_MEDIA_TYPE = "application/problem+json"

# The status's phrase (RFC 9457 ``title`` for ``about:blank``), in the user's language.
TITLES = {
    400: gettext_lazy("请求有误"),
    401: gettext_lazy("未认证"),
    403: gettext_lazy("无权操作"),
    404: gettext_lazy("未找到"),
    405: gettext_lazy("不允许的请求方法"),
    406: gettext_lazy("无法提供所要求的格式"),
    409: gettext_lazy("与已有数据冲突"),
    413: gettext_lazy("请求内容过大"),
    415: gettext_lazy("不支持的请求格式"),
    429: gettext_lazy("请求过于频繁"),
    500: gettext_lazy("服务器内部错误"),
    503: gettext_lazy("服务暂时不可用"),
}
# Our own words for a code, where a library's message came without a Chinese translation.
MESSAGES = {
    "invalid": gettext_lazy("提交的值无效。"),
    "parse_error": gettext_lazy("请求正文无法解析，请检查其格式（如 JSON 语法）。"),
    "not_authenticated": gettext_lazy("请先登录或提供认证令牌。"),
    "authentication_failed": gettext_lazy("认证令牌无效。"),
    "permission_denied": gettext_lazy("您没有执行该操作的权限。"),
    "not_found": gettext_lazy("未找到该对象。"),
    "method_not_allowed": gettext_lazy("不允许使用该请求方法。"),
    "not_acceptable": gettext_lazy("无法以所要求的格式作答。"),
    "unsupported_media_type": gettext_lazy("不支持请求正文的格式。"),
    "throttled": gettext_lazy("请求过于频繁，请稍后再试。"),
}
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def _in_words(message, code: str, status: int) -> str:
    """``message`` as the user reads it: a Chinese response never shows an English default."""
    text = str(message)
    if (get_language() or "").startswith("zh") and not _CHINESE.search(text):
        return str(MESSAGES.get(code) or TITLES.get(status) or _("请求未能完成。"))
    return text


def problem(
    status: int,
    detail,
    *,
    code: str,
    errors: list[dict] | None = None,
    **extensions,
) -> dict:
    """The problem document of one refusal (see the module's docstring)."""
    return {
        "type": "about:blank",
        "title": str(TITLES.get(status) or _("请求未能完成")),
        "status": status,
        "detail": _in_words(detail, code, status),
        "code": code,
        "errors": errors or [],
        **{key: value for key, value in extensions.items() if value not in (None, [])},
    }


def problem_json_response(status: int, detail, *, code: str) -> JsonResponse:
    """The same document outside DRF (a middleware's refusal of an API request)."""
    return JsonResponse(
        problem(status, detail, code=code),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


class ProblemResponse(Response):
    """A DRF response that names its JSON ``application/problem+json``."""

    @property
    def rendered_content(self):
        renderer = getattr(self, "accepted_renderer", None)
        if getattr(renderer, "format", None) == "json":
            self.content_type = PROBLEM_MEDIA_TYPE
        return super().rendered_content


def _field_errors(detail, path: str = ""):
    """(field path, message) of every message in a DRF validation detail, nested or not."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            # DRF's non_field_errors and Django's __all__: the whole request.
            name = "" if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__") else str(key)
            yield from _field_errors(value, ".".join(part for part in (path, name) if part))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                yield from _field_errors(
                    item, ".".join(part for part in (path, str(index)) if part)
                )
            else:
                yield path, item
    else:
        yield path, detail


def _validation_problem(exc: exceptions.ValidationError) -> dict:
    errors = []
    for field, message in _field_errors(exc.detail):
        code = getattr(message, "code", None) or "invalid"
        errors.append(
            {"field": field or None, "code": code, "message": _in_words(message, code, 400)}
        )
    if len(errors) == 1:
        detail = errors[0]["message"]
    else:
        detail = _("提交的内容有 %(count)d 处错误，见 errors。") % {"count": len(errors)}
    # A refusal of the whole request under one code (an import file refused whole) keeps it.
    codes = {error["code"] for error in errors if error["field"] is None}
    whole = len(codes) == 1 and all(error["field"] is None for error in errors)
    return problem(exc.status_code, detail, code=codes.pop() if whole else "invalid", errors=errors)


def _domain_problem(exc: DomainError) -> dict:
    errors = [{"field": exc.field, "code": exc.code, "message": exc.message}] if exc.field else []
    return problem(
        exc.status_code,
        exc.message,
        code=exc.code,
        errors=errors,
        reasons=exc.reasons,
        existing_id=exc.existing_id if isinstance(exc, Conflict) else None,
    )


def _as_api_exception(exc):
    """Django's own refusals as DRF's, keeping their messages and codes."""
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=get_error_detail(exc))
    return exc


def exception_handler(exc, context):
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: every refusal as a problem document.

    Anything else (a bug) is left to Django, which answers 500.
    """
    headers = {}
    if isinstance(exc, DomainError):
        body = _domain_problem(exc)
    else:
        exc = _as_api_exception(exc)
        if not isinstance(exc, exceptions.APIException):
            return None
        if isinstance(exc, exceptions.ValidationError):
            body = _validation_problem(exc)
        else:
            detail = exc.detail
            if isinstance(detail, list | dict):  # an APIException raised with several messages
                return exception_handler(exceptions.ValidationError(detail), context)
            code = getattr(detail, "code", None) or exc.default_code
            body = problem(exc.status_code, detail, code=code)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback()
    return ProblemResponse(body, status=body["status"], headers=headers)


# --- the schema ------------------------------------------------------------------------------

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details: every 4xx answer of the API.",
    "properties": {
        "type": {"type": "string", "description": "Always about:blank.", "example": "about:blank"},
        "title": {"type": "string", "description": "The HTTP status's phrase, translated."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, in the user's language."},
        "code": {
            "type": "string",
            "description": "Stable machine code: invalid, parse_error, not_authenticated, "
            "authentication_failed, permission_denied, not_permitted, not_found, "
            "method_not_allowed, unsupported_media_type, duplicate, throttled, or a domain "
            "rule's own code.",
        },
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldError"},
            "description": "One entry per message; empty when no field is at fault.",
        },
        "reasons": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Every reason, when a command was refused for several at once.",
        },
        "existing_id": {
            "type": "integer",
            "description": "On a 409: the id of the object that already exists.",
        },
    },
    "required": ["type", "title", "status", "detail", "code", "errors"],
}
FIELD_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "field": {
            "type": "string",
            "nullable": True,
            "description": "The field's dotted path (items.0.name); null for the whole request.",
        },
        "code": {"type": "string", "description": "The validator's code (required, invalid …)."},
        "message": {"type": "string"},
    },
    "required": ["field", "code", "message"],
}

# status: (code, description, example detail) of each documented error response.
DOCUMENTED = {
    400: ("invalid", "The request is invalid: a field, a query parameter or a business rule."),
    401: ("not_authenticated", "No credentials, or an invalid token."),
    403: ("permission_denied", "The user may not do this."),
    404: ("not_found", "No such object (or not visible to the user), or no such page."),
    409: ("duplicate", "It already exists: existing_id names it."),
    415: ("unsupported_media_type", "The request body's Content-Type is not accepted."),
    429: ("throttled", "Too many requests: retry after Retry-After seconds."),
    500: ("server_error", "An unexpected error on the server; it is logged."),
    503: (
        "unavailable",
        "The database is restarting or unreachable: the request was not completed; send it "
        "again after Retry-After seconds.",
    ),
}
HEADERS = {
    401: {
        "WWW-Authenticate": {
            "schema": {"type": "string", "example": "Token"},
            "description": "The scheme to authenticate with: Token.",
        }
    },
    429: {
        "Retry-After": {
            "schema": {"type": "integer", "example": 30},
            "description": "Seconds to wait before the next request.",
        }
    },
    503: {
        "Retry-After": {
            "schema": {"type": "integer", "example": 30},
            "description": "Seconds to wait before sending the request again.",
        }
    },
}


def _example(status: int, code: str) -> dict:
    body = problem(status, MESSAGES.get(code) or TITLES[status], code=code)
    if status == 400:
        body["errors"] = [{"field": "name", "code": "required", "message": _("该字段是必填项。")}]
        body["detail"] = body["errors"][0]["message"]
    if status == 409:
        body["detail"] = _("本单位在该批次已有同类型的申报，请在原申报中继续填写。")
        body["existing_id"] = 12
    return body


class ErrorResponses:
    """Mixed into ``PortalAutoSchema``: the error responses of each operation.

    Which ones an operation can give is read from the operation and its view: 400 with a body
    or query parameters (or any write, which a business rule may refuse), 401 where the view
    authenticates, 403 unless everyone may read, 404 for a path with an id or a paginated list
    (a page past the end), 409 for the actions a view names in ``conflict_actions``, 415 with
    a body, 429 where the view is throttled, and 500 and 503 on every operation.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        statuses = self._error_statuses(path, operation)
        if statuses:
            self._register_problem()
            responses = operation["responses"]
            for status in statuses:
                responses.setdefault(str(status), self._problem_response(status))
        return operation

    def _error_statuses(self, path: str, operation: dict) -> list[int]:
        view, writes = self.view, self.method not in permissions.SAFE_METHODS
        parameters = operation.get("parameters", [])
        query = any(parameter["in"] == "query" for parameter in parameters)
        open_to_all = all(
            isinstance(permission, permissions.AllowAny) for permission in view.get_permissions()
        )
        statuses = []
        if writes or query or "requestBody" in operation:
            statuses.append(400)
        if view.get_authenticators():
            statuses.append(401)
        if not open_to_all or writes:
            statuses.append(403)
        if "{" in path or any(parameter["name"] == "page" for parameter in parameters):
            statuses.append(404)
        if getattr(view, "action", None) in getattr(view, "conflict_actions", ()):
            statuses.append(409)
        if "requestBody" in operation:
            statuses.append(415)
        if view.get_throttles():
            statuses.append(429)
        # Any operation: an unexpected error, or the database unavailable (server_error).
        statuses += [500, 503]
        return statuses

    def _register_problem(self) -> None:
        for name, schema in (("Problem", PROBLEM_SCHEMA), ("FieldError", FIELD_ERROR_SCHEMA)):
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )

    def _problem_response(self, status: int) -> dict:
        code, description = DOCUMENTED[status]
        response = {
            "description": description,
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "examples": {code: {"value": _example(status, code), "summary": code}},
                }
            },
        }
        if status in HEADERS:
            response["headers"] = HEADERS[status]
        return response
