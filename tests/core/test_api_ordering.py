"""``?ordering=`` on a list whose view names no ``ordering_fields``: only columns sort it.

DRF's default accepted a serializer field backed by a method (``get_kind_display``), and the
database refused to sort by it: a 500. The schema offers the same fields the backend accepts.
"""

import pytest

from greenmfg.core.api.ordering import PortalOrderingFilter, sorts_by
from thirdparty.api.profile import ExperienceViewSet
from thirdparty.models import ExperienceRecord

pytestmark = pytest.mark.django_db


def test_a_method_backed_field_is_no_ordering_and_is_ignored(client, demo):
    client.force_login(demo["luoyang-agency"])
    url = "/api/v1/agency-experience/"

    # DRF's default named the field by its source: the method.
    assert client.get(url, {"ordering": "get_kind_display"}).status_code == 200
    assert client.get(url, {"ordering": "-get_kind_display"}).status_code == 200
    assert client.get(url, {"ordering": "-id"}).status_code == 200


def test_the_backend_and_the_schema_offer_the_same_columns(client, demo):
    view = ExperienceViewSet()
    fields = [
        name
        for name, _label in PortalOrderingFilter().get_valid_fields(
            ExperienceRecord.objects.none(), view, {}
        )
    ]
    assert "get_kind_display" not in fields
    assert "id" in fields
    assert all(sorts_by(ExperienceRecord, name) for name in fields)

    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/agency-experience/"]["get"]["parameters"]
    (ordering,) = [p for p in parameters if p["name"] == "ordering"]
    assert sorted(ordering["schema"]["enum"]) == sorted(
        term for name in fields for term in (name, f"-{name}")
    )
