"""The bench draws its pages from the URL conf (bench.discover): no list can be left out of it."""

from django.urls import URLResolver, get_resolver
from django.views.generic.list import MultipleObjectMixin

from bench.discover import discover, view_of
from bench.pages import ROLE_USERS
from greenmfg.accounts.roles import Role


def argument_free_patterns():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif not pattern.pattern.regex.groups:
                yield prefix, pattern

    return list(walk(get_resolver().url_patterns))


def test_every_list_view_and_list_route_is_benched():
    targets, excluded = discover()
    benched = {target.name for target in targets if target.list_view}
    expected = set()
    for prefix, pattern in argument_free_patterns():
        if prefix.startswith("admin/"):
            continue
        _, cls, actions = view_of(pattern)
        if (actions and actions.get("get") == "list") or (
            cls is not None and issubclass(cls, MultipleObjectMixin)
        ):
            expected.add(pattern.name)
    assert expected, "no list found in the URL conf"
    assert expected - benched == set()
    # The lists the issues name are among them, pages and endpoints.
    paths = {target.path for target in targets}
    for path in (
        "/organisations/",
        "/api/organisations/",
        "/mingdan/",
        "/applications/",
        "/engagements/",
        "/dashboard/",
        "/api/listings/",
        "/registry/listings/",
    ):
        assert path in paths
    # Excluded pages say why, and nothing is both benched and excluded.
    assert all(excluded.values())
    assert not paths & set(excluded)


def test_function_views_that_paginate_are_benched_as_pages():
    """Function views cannot be told statically: they are benched, and told lists at run time."""
    targets, _ = discover()
    by_path = {target.path: target for target in targets}
    assert "/applications/" in by_path  # application_list_view, a function view
    assert "/engagements/" in by_path
    assert not any(path.startswith("/admin/") for path in by_path)
    assert all("(" not in path and "<" not in path for path in by_path)


def test_every_role_has_a_bench_user():
    assert {role.value for role in Role} <= set(ROLE_USERS)
