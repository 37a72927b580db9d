"""While the database is unavailable (restarting, stopped, unreachable), every request is
answered at once with 503 and ``Retry-After``, never a bare 500: a page in Chinese built without
the database, an API request with a problem document (issue 20, faults). Any other server error
is a 500 of the same two kinds.

The outage is simulated by making every query fail as psycopg2 does when the server goes away;
tests/services/test_database_restart.py stops a real PostgreSQL.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends import utils
from django.test import Client, override_settings

from greenmfg.core.api.errors import PROBLEM_MEDIA_TYPE
from greenmfg.core.views import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def every_query_fails(patch, error: Exception) -> None:
    def refuse(*args, **kwargs):
        raise error

    patch.setattr(utils.CursorWrapper, "execute", refuse)
    patch.setattr(utils.CursorWrapper, "executemany", refuse)


@pytest.fixture
def database_down(monkeypatch):
    every_query_fails(monkeypatch, OperationalError("server closed the connection unexpectedly"))


def browser(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_a_public_page_is_a_chinese_503_with_retry_after(database_down):
    response = browser().get("/mingdan/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "服务暂时不可用" in body and f"约 {RETRY_AFTER_SECONDS} 秒后重试" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_a_signed_in_users_form_post_is_a_503_too(demo):
    client = browser(demo["luoyang-enterprise"])
    with pytest.MonkeyPatch.context() as patch:
        every_query_fails(patch, InterfaceError("connection already closed"))
        response = client.post("/applications/new/", {"batch": "1"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "已填写的内容通常仍在" in response.content.decode()


def test_the_api_answers_a_503_problem_document(demo):
    client = browser(demo["luoyang-city"])
    with pytest.MonkeyPatch.context() as patch:
        every_query_fails(patch, OperationalError("could not connect to server"))
        response = client.get("/api/v1/batches/")
    assert response.status_code == 503
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    problem = response.json()
    assert problem["status"] == 503 and problem["code"] == "unavailable"
    assert problem["title"] == "服务暂时不可用"
    assert f"{RETRY_AFTER_SECONDS} 秒后重试" in problem["detail"]


def test_healthz_says_when_to_ask_again(database_down):
    response = browser().get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_another_server_error_on_the_api_is_a_500_problem_document():
    with override_settings(ROOT_URLCONF="tests.core.broken_urls"):
        response = browser().get("/api/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert "Retry-After" not in response
    problem = response.json()
    assert problem["code"] == "server_error" and problem["title"] == "服务器内部错误"
    assert "RuntimeError" not in response.content.decode()


def test_another_server_error_on_a_page_is_the_500_page_without_retry_after():
    with override_settings(ROOT_URLCONF="tests.core.broken_urls"):
        response = browser().get("/broken/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "系统暂时无法处理您的请求" in response.content.decode()


def test_every_api_operation_documents_the_500_and_the_503(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"500", "503"} <= set(responses), (method, path)
            assert "Retry-After" in responses["503"]["headers"], (method, path)


def test_a_database_host_that_does_not_answer_is_given_up_in_seconds(settings):
    # PostgreSQL only (libpq's connect_timeout): SQLite is a file.
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a PostgreSQL connection option")
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5


SILENT_HOST_PROBE = """
import time
import django
django.setup()
from django.test import Client
started = time.perf_counter()
response = Client(raise_request_exception=False).get("/mingdan/", HTTP_HOST="127.0.0.1")
print(response.status_code, response.get("Retry-After"), round(time.perf_counter() - started, 2))
"""


def test_a_database_host_that_accepts_and_never_answers_is_a_503_after_the_timeout(tmp_path):
    # A port that takes the connection and never speaks: what a host behind a broken network
    # path looks like to libpq. The portal, in its own process on PostgreSQL settings, gives up
    # after DB_CONNECT_TIMEOUT (1 s here) and answers 503, where the system's TCP timeout would
    # hold the request for minutes. Observed: 503 after 1.5 s here, 5.5 s with the default 5.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "greenmfg.settings.base",
            "DEBUG": "false",
            "DATABASE_URL": f"postgres://root@127.0.0.1:{port}/unanswered",
            "DB_CONNECT_TIMEOUT": "1",
            "DB_CONN_MAX_AGE": "0",
            "SECRET_KEY": "a-key-for-this-probe-only-" + "x" * 40,
        }
        result = subprocess.run(
            [sys.executable, "-c", SILENT_HOST_PROBE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    status, retry_after, seconds = result.stdout.split()[-3:]
    assert (status, retry_after) == ("503", str(RETRY_AFTER_SECONDS))
    # The connect timeout, once or twice (Django's health check may retry), never minutes.
    assert float(seconds) < 10
