"""The engagements API: the pages' scope, the report columns, the usage endpoint, and a
constant number of queries."""

import pytest

from applications.services.documents import document_upload
from greenmfg.accounts.roles import Role
from tests.applications.helpers import pdf_upload
from tests.factories import UserFactory
from tests.thirdparty.helpers import batch_of, draft, engage_many, name_agency, qualified_agency
from tests.thirdparty.test_portal import _bulk_engagements
from thirdparty.models import Engagement

pytestmark = pytest.mark.django_db

LIST = "/api/engagements/"
USAGE = "/api/engagements/usage/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def two(demo):
    """A 洛阳 draft engaging the 洛阳 agency, and a 济南 draft engaging the 济南 agency."""
    luoyang, luoyang_applicant = draft(batch_of("luoyang"))
    jinan, jinan_applicant = draft(batch_of("jinan"), county="jinan")
    assert name_agency(luoyang, luoyang_applicant, demo["luoyang-agency"].organisation) == []
    assert name_agency(jinan, jinan_applicant, demo["jinan-agency"].organisation) == []
    return {
        "luoyang": Engagement.objects.get(application=luoyang),
        "jinan": Engagement.objects.get(application=jinan),
        "luoyang_applicant": luoyang_applicant,
        "jinan_applicant": jinan_applicant,
    }


def test_agency_staff_see_their_agencys_engagements_only(client, demo, two):
    client.force_login(demo["luoyang-agency"])
    assert ids(client.get(LIST)) == {two["luoyang"].pk}
    assert client.get(f"{LIST}{two['jinan'].pk}/").status_code == 404
    client.force_login(demo["jinan-agency"])
    assert ids(client.get(LIST)) == {two["jinan"].pk}


def test_officials_see_their_subtree_and_applicants_their_own(client, demo, two):
    client.force_login(demo["luoyang-county"])
    assert ids(client.get(LIST)) == {two["luoyang"].pk}
    client.force_login(demo["jinan-city"])
    assert ids(client.get(LIST)) == {two["jinan"].pk}
    client.force_login(two["luoyang_applicant"])
    assert ids(client.get(LIST)) == {two["luoyang"].pk}
    client.force_login(demo["luoyang-enterprise"])
    assert ids(client.get(LIST)) == set()


@pytest.mark.parametrize("username", ["luoyang-expert", "luoyang-env"])
def test_experts_and_departments_are_refused(client, demo, two, username):
    client.force_login(demo[username])
    assert client.get(LIST).status_code == 403
    assert client.get(USAGE, {"agency": two["luoyang"].agency_id}).status_code == 403


def test_an_expert_of_an_agency_is_refused(client, demo, two):
    expert = UserFactory(role=Role.EXPERT, organisation=demo["luoyang-agency"].organisation)
    client.force_login(expert)
    assert client.get(LIST).status_code == 403


def test_anonymous_is_refused(client, demo):
    assert client.get(LIST).status_code in (401, 403)


def test_rows_carry_the_report_version_and_checksum(client, demo, two):
    engagement = two["luoyang"]
    client.force_login(demo["luoyang-agency"])
    row = client.get(f"{LIST}{engagement.pk}/").json()
    assert row["report_version"] is None and row["applicant_name"]
    assert row["counted"] is True and row["status"] == "active"
    assert row["application_status"] == "draft" and row["policy"] == "luoyang-2024"

    version = document_upload(
        application=engagement.application,
        actor=demo["luoyang-agency"],
        kind="third_party_report",
        uploaded_file=pdf_upload(),
    )
    row = client.get(f"{LIST}{engagement.pk}/").json()
    assert row["report_version"] == 1 and row["report_sha256"] == version.sha256
    assert ids(client.get(LIST, {"report": "uploaded"})) == {engagement.pk}
    assert ids(client.get(LIST, {"report": "missing"})) == set()


def test_usage_for_agency_staff_defaults_to_their_own_agency(client, demo):
    batch = batch_of("luoyang")
    agency = qualified_agency()
    engage_many(batch, agency, 3)
    client.force_login(agency.users.get())
    body = client.get(USAGE, {"year": batch.year}).json()
    # 洛阳 第二十条 counts national projects only: a 洛阳 city batch is neither counted nor capped.
    assert body["agency"] == agency.pk and body["year_used"] == 0 and body["limit"] == 15
    (row,) = body["batches"]
    assert row["cap"] is None and row["caps"] == [] and row["used"] is None
    assert "市级、省级项目不计入" in row["note"]
    assert row["batch_used"] == 3 and row["own"] == 3
    # Another agency's usage is not the staff's to read.
    assert client.get(USAGE, {"agency": demo["jinan-agency"].organisation_id}).status_code == 404


def test_usage_of_a_jinan_batch_has_no_cap(client, demo, two):
    client.force_login(demo["jinan-city"])
    body = client.get(USAGE, {"agency": two["jinan"].agency_id}).json()
    (row,) = body["batches"]
    assert row["cap"] is None and row["used"] is None and row["batch_used"] == 1


def test_usage_needs_an_agency_the_official_may_see(client, demo, two):
    client.force_login(demo["luoyang-county"])
    assert client.get(USAGE).status_code == 400
    assert client.get(USAGE, {"agency": two["jinan"].agency_id}).status_code == 404
    body = client.get(USAGE, {"agency": two["luoyang"].agency_id}).json()
    # The 洛阳 engagement is in a city batch: not counted under 洛阳 第二十条.
    assert body["agency"] == two["luoyang"].agency_id and body["year_used"] == 0


def test_the_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    agency = demo["jinan-agency"].organisation
    _bulk_engagements(agency, batch_of("jinan"), 5)
    client.force_login(demo["jinan-agency"])
    with django_assert_max_num_queries(20) as small:
        client.get(LIST)
    with django_assert_max_num_queries(20) as usage:
        client.get(USAGE)
    _bulk_engagements(agency, batch_of("jinan"), 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).json()["count"] == 50
    with django_assert_max_num_queries(len(usage.captured_queries)):
        assert len(client.get(USAGE).json()["batches"]) == 2
