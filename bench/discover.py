"""Which pages the bench times: drawn from the URL conf, so that a new list cannot be forgotten.

The rule (issue 16):

- every URL pattern **without URL arguments** (nothing to pick from the data, so every role can be
  asked for it as is), HTML page or API route, except the few in ``EXCLUDED`` below, each with its
  reason, and everything under ``admin/`` (Django's admin, the system administrator's tool);
- each is requested as every role (``ROLE_USERS``) and a visitor; a role that is not answered
  200 (403, 302 to the login page, 404, 405 for a POST-only view) skips it, and the bench says so;
- a target is a **list** when its view is a ``ListView`` (any ``MultipleObjectMixin``, so every
  ``FilteredListView``), a DRF route whose GET action is ``list`` (the router's ``*-list``), or —
  for function views — when serving it builds a ``django.core.paginator.Paginator`` (see
  ``pages.py``): a view that paginates is a list, whatever its shape. The others (dashboard, home,
  forms, feeds) are timed too, as "page";
- a few query strings (``VARIANTS``) also time the searches and filters the issues name.

Nothing here touches the database: ``tests/bench/test_discover.py`` checks it against the URL conf.
"""

from __future__ import annotations

from dataclasses import dataclass

# Argument-free patterns that are not pages of data, by URL name, with the reason.
EXCLUDED: dict[str, str] = {
    "logout": "POST only; it would end the session",
    "password_change": "Django's account form: no data",
    "password_change_done": "Django's account page: no data",
    "password_reset": "Django's account form: no data",
    "password_reset_done": "Django's account page: no data",
    "password_reset_complete": "Django's account page: no data",
    "set_language": "POST, then a redirect",
    "api-root": "the router's index of links",
    "api-schema": "the OpenAPI schema, generated from the code, not from the data",
    "api-docs": "the Swagger UI shell",
    "api-token": "POST only (sign-in for a token)",
    "list-pdf": "starts a PDF build in Celery: bench.documents times the documents",
    "credit-template": "a fixed CSV template",
}
EXCLUDED_PREFIXES: dict[str, str] = {
    "admin/": "Django's admin: the system administrator's tool, not a portal page",
}

# Searches and filters timed besides the bare list (the issues' slow cases), by path.
VARIANTS: dict[str, list[str]] = {
    "/mingdan/": ["q=精密机械", "region=410300&level=city&year=2024"],
    "/api/public/listings/": ["q=精密机械"],
    "/organisations/": ["q=精密机械"],
    "/api/organisations/": ["q=精密机械"],
    "/applications/": ["status=submitted"],
    "/api/applications/": ["status=submitted"],
    "/registry/listings/": ["level=city"],
    "/api/listings/": ["level=city"],
}


@dataclass(frozen=True)
class Target:
    path: str  # with no query string
    name: str  # the URL name
    view: str  # module.qualname of the view (class, viewset or function)
    api: bool
    list_view: bool  # a ListView or a DRF list route (function views are told at run time)


def _walk(patterns, prefix=""):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix, pattern


def _route(prefix: str, pattern) -> str | None:
    """The path of an argument-free pattern, or None when it takes arguments."""
    from django.urls.resolvers import RegexPattern

    inner = pattern.pattern
    if inner.regex.groups or getattr(inner, "converters", None):
        return None
    text = str(inner)
    if isinstance(inner, RegexPattern):  # the DRF router's ^prefix/$ patterns
        text = text.removeprefix("^").removesuffix("$")
        if any(char in text for char in "\\()[]?*+"):
            return None
    return "/" + prefix + text


def view_of(pattern) -> tuple[str, type | None, dict | None]:
    callback = pattern.callback
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None)
    target = cls or callback
    name = getattr(target, "__qualname__", type(target).__qualname__)
    return f"{target.__module__}.{name}", cls, actions


def excluded_reason(path: str, name: str | None) -> str | None:
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if path.startswith("/" + prefix):
            return reason
    return EXCLUDED.get(name or "")


def discover() -> tuple[list[Target], dict[str, str]]:
    """The argument-free targets of the URL conf, and the excluded paths with their reasons."""
    from django.urls import get_resolver
    from django.views.generic.list import MultipleObjectMixin

    targets: dict[str, Target] = {}
    excluded: dict[str, str] = {}
    for prefix, pattern in _walk(get_resolver().url_patterns):
        path = _route(prefix, pattern)
        if path is None or path in targets or path in excluded:
            continue  # arguments, or a path an earlier pattern already answers
        reason = excluded_reason(path, pattern.name)
        if reason:
            excluded[path] = reason
            continue
        view, cls, actions = view_of(pattern)
        if actions is not None and "get" not in actions:
            continue  # a POST-only route of a viewset (e.g. the public complaint form's create)
        api = actions is not None or path.startswith("/api/")
        list_view = bool(
            (actions and actions.get("get") == "list")
            or (cls is not None and issubclass(cls, MultipleObjectMixin))
        )
        targets[path] = Target(path, pattern.name or "", view, api, list_view)
    return list(targets.values()), excluded
