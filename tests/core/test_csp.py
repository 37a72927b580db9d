"""The Content-Security-Policy (django-csp, issue 20.2): on every kind of response, no inline
script or event handler in any template, and the API documentation pages' own relaxations."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.services.applications import application_create
from applications.services.documents import document_upload
from tests.applications.helpers import city_batch, pdf_bytes
from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDFs, never served as HTML: their <style> blocks are theirs.
PDF_TEMPLATES = TEMPLATES / "pdf"

STRICT = {
    "default-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def assert_strict(response) -> dict[str, set[str]]:
    found = policy(response)
    for name, values in STRICT.items():
        assert found.get(name) == values, (name, found.get(name))
    script = found["script-src"]
    assert "'self'" in script
    assert not script & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"}, script
    return found


@pytest.fixture
def application(demo):
    return application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/"),
        (None, "/mingdan/"),
        (None, "/gongshi/"),
        (None, "/accounts/login/"),
        (None, "/no-such-page/"),
        ("luoyang-county", "/applications/"),
        ("luoyang-county", "/dashboard/"),
        ("luoyang-city", "/statistics/"),
    ],
    ids=["home", "mingdan", "gongshi", "login", "404", "official-list", "dashboard", "statistics"],
)
def test_every_page_has_the_strict_policy(client, demo, user, path):
    if user:
        client.force_login(demo[user])
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_strict(response)


@pytest.mark.django_db
def test_a_detail_page_and_a_download_have_the_strict_policy(client, demo, application):
    version = document_upload(
        application=application,
        actor=demo["luoyang-enterprise"],
        kind="self_evaluation",
        uploaded_file=SimpleUploadedFile("报告.pdf", pdf_bytes()),
    )
    client.force_login(demo["luoyang-enterprise"])
    detail = client.get(f"/applications/{application.pk}/")
    assert detail.status_code == 200
    assert_strict(detail)
    download = client.get(f"/documents/{version.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert_strict(download)


@pytest.mark.django_db
def test_a_json_api_response_has_the_strict_policy(client, demo):
    client.force_login(demo["luoyang-county"])
    response = client.get(reverse("api-me"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert_strict(response)


@pytest.mark.django_db
def test_the_admin_has_the_strict_policy_and_still_works(client, db):
    assert_strict(client.get("/admin/login/"))
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin.pk}/change/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), path


@pytest.mark.django_db
def test_swagger_ui_runs_its_inline_script_by_nonce_only(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    found = policy(response)
    nonce = re.search(r"'nonce-([^']+)'", " ".join(found["script-src"])).group(1)
    assert found["script-src"] == {"'self'", f"'nonce-{nonce}'"}
    assert found["style-src"] == {"'self'", f"'nonce-{nonce}'"}
    html = response.content.decode()
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for _, attributes in inline)
    # A new nonce each time.
    assert nonce not in client.get(reverse("api-docs"))["Content-Security-Policy"]


@pytest.mark.django_db
def test_redoc_alone_allows_inline_styles(client):
    try:
        path = reverse("api-redoc")
    except Exception:
        pytest.skip("no ReDoc page")
    response = client.get(path)
    assert response.status_code == 200
    found = policy(response)
    assert found["style-src"] == {"'self'", "'unsafe-inline'"}
    assert found["worker-src"] == {"blob:"}
    assert not found["script-src"] & {"'unsafe-inline'", "'unsafe-eval'"}
    assert found["frame-ancestors"] == {"'none'"}
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def _templates():
    return sorted(path for path in TEMPLATES.rglob("*.html"))


def _relative(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)


def test_no_template_has_an_inline_script_without_a_nonce():
    found = []
    for path in _templates():
        for attributes in SCRIPT_TAG.findall(path.read_text()):
            if "src=" in attributes or "nonce=" in attributes:
                continue
            if re.search(r"type=[\"']application/(ld\+)?json", attributes):
                continue  # data, never run
            found.append(_relative(path))
    assert found == []


def test_no_template_has_an_inline_event_handler_or_javascript_url():
    found = [
        _relative(path)
        for path in _templates()
        if EVENT_HANDLER.search(path.read_text())
        or re.search(r"""href=["']\s*javascript:""", path.read_text(), re.IGNORECASE)
    ]
    assert found == []


def test_no_served_template_has_a_style_attribute():
    found = [
        _relative(path)
        for path in _templates()
        if not path.is_relative_to(PDF_TEMPLATES) and STYLE_ATTRIBUTE.search(path.read_text())
    ]
    assert found == []


def test_the_scan_finds_what_it_looks_for():
    assert SCRIPT_TAG.findall('<script>alert(1)</script><script src="/a.js">') == [
        "",
        ' src="/a.js"',
    ]
    assert EVENT_HANDLER.search('<button type="button"\n  onclick="go()">')
    assert not EVENT_HANDLER.search("<p>click on=here</p>")
    assert STYLE_ATTRIBUTE.search('<form class="x" style="display:inline">')


def test_production_sends_hsts_and_the_policy(tmp_path):
    """HSTS for a year with subdomains, and the same CSP middleware, in production settings."""
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-ancestors'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECURE_HSTS_SECONDS"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "greenmfg.settings.production",
            "SECRET_KEY": "a-long-random-secret-key-for-the-csp-check-0123456789-abcdefghijkl",
            "ALLOWED_HOSTS": "greenmfg.example.cn",
            "GREENMFG_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "[\"'none'\"]"]
