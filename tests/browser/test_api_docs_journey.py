"""Journey: the API documentation pages run under the Content-Security-Policy (issue 20.2).

Swagger UI (its start-up script and style by the request's nonce) and ReDoc (inline styles
allowed on its page alone) draw the schema with no CSP violation on the console (but ReDoc's
badge logo from its vendor's CDN, refused as it should be); the admin
works under the strict policy. The watch itself is checked: a script the policy refuses is
reported.
"""

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from tests.browser.journey import watch_csp
from tests.factories import UserFactory

# The schema (2 MB, every operation of the API) is built on each request and ReDoc parses it
# in the browser: seconds, a minute or more on a loaded machine.
SCHEMA_TIMEOUT = 180_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_draws_the_schema(page: Page, live_server, demo):
    page.goto(f"{live_server.url}{reverse('api-docs')}")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text(
        "绿色制造", timeout=SCHEMA_TIMEOUT
    )
    expect(page.locator(".opblock").first).to_be_visible()


def test_redoc_draws_the_schema(page: Page, live_server, demo):
    try:
        path = reverse("api-redoc")
    except NoReverseMatch:
        pytest.skip("no ReDoc page")
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1").first).to_contain_text("绿色制造", timeout=SCHEMA_TIMEOUT)
    expect(page.get_by_role("textbox").first).to_be_visible()  # its search box
    # ReDoc's "API docs by Redocly" badge asks its vendor's CDN for a logo: the policy refuses
    # it, as it should (the page loads nothing from elsewhere). Any other refusal fails.
    page.wait_for_load_state("networkidle")
    found = watch_csp(page)
    found[:] = [text for text in found if "cdn.redoc.ly/redoc/logo-mini.svg" not in text]


def test_the_admin_works_under_the_policy(page: Page, live_server, demo):
    UserFactory(username="root-admin", is_staff=True, is_superuser=True, password="Lvse-2026!")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("用户名").fill("root-admin")
    page.get_by_label("密码").fill("Lvse-2026!")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#site-name")).to_contain_text("系统管理")
    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    expect(page.locator("#user_form")).to_be_visible()


def test_a_refused_script_is_reported(page: Page, live_server, demo):
    page.goto(f"{live_server.url}/")
    found = watch_csp(page)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert found and "script-src" in found[0]
    found.clear()  # expected here: not a failure of the journey
