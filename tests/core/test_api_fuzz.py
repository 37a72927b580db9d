"""Schemathesis over the served OpenAPI schema: no API operation answers with a server error.

Every operation in ``/api/schema/`` is fuzzed with schema-conforming and schema-violating
requests (Schemathesis' positive and negative modes), as an anonymous visitor and as users of
five roles, so that the views run past their permission checks. A 4xx for bad input or a
refusal is fine; a 5xx, or an exception escaping a view, fails the operation's test.

The requests go through Django's test client rather than a real WSGI server: the client keeps
the database connection inside the test's transaction (a real handler would close it after each
request), logs each role in with ``force_login`` and does not enforce CSRF, as a same-site
browser would pass it. The demo workflow data (``seed_demo``: batches, drafts, last year's
list; plus an application in the county's review) is loaded once for the module and rolled back
at its end, and about half of the requests name objects that exist, so that detail and action
endpoints get past "not found".
"""

import io
import os
from collections.abc import Iterable

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from applications.models import DocumentVersion
from greenmfg.accounts.models import User
from reviews.services.review import opinion_request_send
from tests.conftest import DemoUsers
from tests.reviews.helpers import in_county_review, required_departments

ANONYMOUS = "anonymous"
# An anonymous visitor, then one user of each role that reaches the API's guarded parts.
ROLES = (
    ANONYMOUS,
    "luoyang-county",
    "luoyang-city",
    "luoyang-enterprise",
    "luoyang-expert",
    "luoyang-agency",
)
# Generated requests per operation, each sent as every role: ~175 operations x 6 roles x 8 take
# about 70 s on SQLite and 80 s on PostgreSQL. Raise it locally for a deeper search.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
# Where the ids of an operation's path parameter come from when its collection has no list.
ID_SOURCES = {"/api/v1/county-reviews/": ("/api/v1/applications/", "id")}


class DjangoClientApp:
    """A WSGI application that hands each request to a Django test client.

    Schemathesis' WSGI transport builds the request (body encoding, multipart, query string)
    and reads the answer; the client underneath carries its user's session cookie.
    """

    def __init__(self, client: Client):
        self.client = client

    def __call__(self, environ, start_response):
        environ = dict(environ)
        # Our own session cookie comes last so that it wins over a generated one.
        own = "; ".join(f"{m.key}={m.coded_value}" for m in self.client.cookies.values())
        environ["HTTP_COOKIE"] = "; ".join(c for c in (environ.get("HTTP_COOKIE"), own) if c)
        # Anonymous users are throttled per minute; each example starts with a fresh budget.
        cache.clear()
        response = self.client.request(**environ)
        # The client closes the response itself, keeping the database connection open; closing
        # it again here would close the connection, as a real server does after a request.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [body]


SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/schema/", DjangoClientApp(Client()))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def path_source(path: str, parameter: str) -> tuple[str, str]:
    """The list endpoint whose results give real values of ``parameter`` in ``path``."""
    collection = path.split("{" + parameter + "}")[0]
    return ID_SOURCES.get(collection, (collection, parameter))


def results_of(client: Client, path: str) -> Iterable[dict]:
    response = client.get(path, {"page_size": 20})
    if response.status_code != 200:
        return []
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Demo workflow data and a logged-in client per role, shared by the module's tests.

    Each test runs in a savepoint inside this transaction, which is rolled back at the end.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        # One application further on: in the county's review, with the departments consulted.
        application, county = in_county_review(DemoUsers())
        opinion_request_send(
            application=application, actor=county, departments=required_departments(application)
        )
        clients = {}
        for role in ROLES:
            client = Client()
            if role != ANONYMOUS:
                client.force_login(User.objects.get(username=role))
            clients[role] = client
        values: dict[tuple[str, str], list] = {}
        for operation in OPERATIONS:
            for parameter in operation.path_parameters:
                source, field = path_source(operation.path, parameter.name)
                if (source, field) in values or "{" in source:
                    continue
                found = {
                    item[field]
                    for client in clients.values()
                    for item in results_of(client, source)
                    if isinstance(item, dict) and field in item
                }
                values[(source, field)] = sorted(found, key=str)[:10]
        # Files have no list of their own.
        values[("/api/v1/document-versions/", "id")] = list(
            DocumentVersion.objects.values_list("pk", flat=True)[:10]
        )
        yield {"clients": clients, "values": values}
        transaction.set_rollback(True)


def case_strategy(operation, known: dict[str, list]):
    """Requests that follow the schema and requests that break it; with ``known`` values for the
    path parameters, half of them aim at objects that exist."""
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if known:
        # With the path fixed, a negative request needs something else to break.
        breakable = bool(operation.query or operation.body)
        path_values = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in known.items()})
        strategies += [
            path_values.flatmap(
                lambda values, mode=mode: operation.as_strategy(
                    generation_mode=mode, path_parameters=values
                )
            )
            for mode in modes
            if mode is GenerationMode.POSITIVE or breakable
        ]
    return st.one_of(strategies)


def send_as_every_role(case, clients: dict[str, Client]) -> None:
    """Send ``case`` as every role; a 5xx, or an exception escaping the view, fails."""
    for role, client in clients.items():
        try:
            response = case.call(app=DjangoClientApp(client))
            case.validate_response(response, checks=[not_a_server_error])
        except (Exception, FailureGroup) as error:  # a FailureGroup is no Exception
            # Name the role: the request alone (Schemathesis' curl line) does not reproduce it.
            raise AssertionError(f"{case.operation.label} as {role}: {error}") from error


@pytest.mark.django_db
def test_every_role_is_logged_in(world):
    """Guards the fuzzing below against passing idly: each role's requests reach the API as that
    user, so the views run past their permission checks."""
    for role, client in world["clients"].items():
        me = client.get("/api/v1/me/")
        if role == ANONYMOUS:
            assert me.status_code == 401  # a token client is asked for credentials
        else:
            assert me.status_code == 200 and me.json()["username"] == role


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
@pytest.mark.django_db
def test_operation_never_answers_with_a_server_error(operation, world):
    """Each generated request goes out once per role: a refusal is cheap, and the roles that
    get through see every input."""
    known = {}
    for parameter in operation.path_parameters:
        values = world["values"].get(path_source(operation.path, parameter.name))
        if values:
            known[parameter.name] = values

    @given(case=case_strategy(operation, known))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def fuzz(case):
        send_as_every_role(case, world["clients"])

    fuzz()
