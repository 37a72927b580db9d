"""Reading the API's refusals: every 4xx is one RFC 9457 problem document
(``greenmfg.core.api.errors``)."""

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def problem(response) -> dict:
    """The problem document of a refused request, checked for the common shape."""
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == response.status_code
    return body


def field_errors(response) -> dict[str | None, list[str]]:
    """The messages of a refused request by field (its top-level name; None: the whole
    request), as DRF's own error bodies were."""
    errors: dict[str | None, list[str]] = {}
    for error in problem(response)["errors"]:
        field = error["field"].split(".")[0] if error["field"] else None
        errors.setdefault(field, []).append(error["message"])
    return errors
