"""Every journey's browser page is watched for Content-Security-Policy violations (issue 20.2):
a script, style or handler the policy refuses fails the journey that met it."""

import pytest

from tests.browser.journey import assert_no_csp_violation, watch_csp


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    watch_csp(page)
    yield
    assert_no_csp_violation(page)
