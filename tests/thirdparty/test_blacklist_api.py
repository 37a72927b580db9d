"""评价机构黑名单 API: officials' scoped list, multipart creation with the evidence, the lift
action; and the public read-only list without the evidence or who recorded an entry."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from tests.problems import field_errors
from thirdparty.api.blacklist import PublicBlacklistViewSet
from thirdparty.models import BlacklistEntry

from .helpers import qualified_agency
from .test_blacklist_pages import REASON, add, engaged, evidence, years_ago

pytestmark = pytest.mark.django_db
URL = "/api/agency-blacklist/"
PUBLIC = "/api/public/agency-blacklist/"
DECISION = "经复核，原查处依据不足，决定提前解除。"


@pytest.fixture
def api():
    cache.clear()  # the anonymous throttle counts in the cache
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_officials_list_the_entries_of_their_scope(api, demo):
    by_county = add(demo["luoyang-county"], qualified_agency())
    by_city = add(demo["luoyang-city"], qualified_agency())

    def ids(who):
        response = as_user(api, demo[who]).get(URL)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("luoyang-county") == {by_county.pk, by_city.pk}
    assert ids("luoyang-county2") == {by_city.pk}
    assert ids("jinan-city") == set()
    row = as_user(api, demo["luoyang-city"]).get(f"{URL}{by_county.pk}/").json()
    assert row["state"] == "in_force" and row["evidence_name"] == "查处决定书.pdf"
    assert row["authority_name"] == "洛龙区工业和信息化局" and row["jurisdiction"] == "410311"
    assert as_user(api, demo["jinan-city"]).get(f"{URL}{by_county.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert"])
def test_others_are_refused(api, demo, who):
    add(demo["luoyang-city"], qualified_agency())

    assert as_user(api, demo[who]).get(URL).status_code == 403
    response = as_user(api, demo[who]).post(
        URL,
        {"agency": qualified_agency().pk, "reason": REASON, "evidence": evidence()},
        format="multipart",
    )
    assert response.status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)


def test_an_official_creates_an_entry_with_multipart_evidence(api, demo):
    agency = qualified_agency()

    response = as_user(api, demo["luoyang-city"]).post(
        URL, {"agency": agency.pk, "reason": REASON, "evidence": evidence()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    today = timezone.localdate()
    assert body["agency"] == agency.pk and body["state"] == "in_force"
    assert body["starts_on"] == today.isoformat()
    assert body["ends_on"] == today.replace(year=today.year + 3).isoformat()
    assert len(body["sha256"]) == 64
    download = api.get(f"{URL}{body['id']}/evidence/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    api.force_authenticate(demo["jinan-city"])
    assert api.get(f"{URL}{body['id']}/evidence/").status_code == 404


def test_creation_errors_name_their_fields(api, demo):
    agency = qualified_agency()
    client = as_user(api, demo["luoyang-city"])

    missing = client.post(URL, {"agency": agency.pk, "reason": REASON}, format="multipart")
    assert missing.status_code == 400 and "evidence" in field_errors(missing)
    fake = client.post(
        URL,
        {"agency": agency.pk, "reason": REASON, "evidence": SimpleUploadedFile("a.pdf", b"no")},
        format="multipart",
    )
    assert fake.status_code == 400 and "evidence" in field_errors(fake)
    short = client.post(
        URL, {"agency": agency.pk, "reason": "伪造", "evidence": evidence()}, format="multipart"
    )
    assert short.status_code == 400 and "reason" in field_errors(short)
    elsewhere = client.post(
        URL,
        {
            "agency": qualified_agency(city_key="370100").pk,
            "reason": REASON,
            "evidence": evidence(),
        },
        format="multipart",
    )
    assert elsewhere.status_code == 400 and "agency" in field_errors(elsewhere)
    for starts_on in (years_ago(3), years_ago(-1)):  # already over; in the future
        dated = client.post(
            URL,
            {"agency": agency.pk, "reason": REASON, "evidence": evidence(), "starts_on": starts_on},
            format="multipart",
        )
        assert dated.status_code == 400 and "starts_on" in field_errors(dated)
    assert not BlacklistEntry.objects.exists()
    backdated = client.post(
        URL,
        {
            "agency": agency.pk,
            "reason": REASON,
            "evidence": evidence(),
            "starts_on": years_ago(1).isoformat(),
        },
        format="multipart",
    )
    assert backdated.status_code == 201
    assert backdated.json()["starts_on"] == years_ago(1).isoformat()


def test_a_county_creates_for_an_agency_working_in_its_county(api, demo):
    agency = qualified_agency()
    client = as_user(api, demo["luoyang-county"])
    payload = {"agency": agency.pk, "reason": REASON}

    assert client.post(
        URL, {**payload, "evidence": evidence()}, format="multipart"
    ).status_code == (400)
    engaged(agency)
    response = client.post(URL, {**payload, "evidence": evidence()}, format="multipart")
    assert response.status_code == 201 and response.json()["jurisdiction"] == "410311"
    again = client.post(URL, {**payload, "evidence": evidence()}, format="multipart")
    assert again.status_code == 400 and again.json()["code"] == "already_listed"


def test_the_lift_action(api, demo):
    entry = add(demo["luoyang-county"], qualified_agency())
    city_entry = add(demo["luoyang-city"], qualified_agency())
    url = f"{URL}{entry.pk}/lift/"

    assert as_user(api, demo["luoyang-county2"]).post(
        url, {"decision": DECISION}, format="json"
    ).status_code == (404)
    county = as_user(api, demo["luoyang-county"])
    refused = county.post(f"{URL}{city_entry.pk}/lift/", {"decision": DECISION}, format="json")
    assert refused.status_code == 403
    assert county.post(url, {"decision": "解除"}, format="json").status_code == 400
    assert county.post(url, {}, format="json").status_code == 400
    entry.refresh_from_db()
    assert entry.lifted_on is None

    response = as_user(api, demo["luoyang-city"]).post(url, {"decision": DECISION}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "lifted" and body["lifted_on"] == timezone.localdate().isoformat()
    assert body["lift_reason"] == DECISION and body["lifted_by_name"]
    again = api.post(url, {"decision": DECISION}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "not_in_force"


def test_an_expired_entry_cannot_be_lifted(api, demo):
    entry = add(demo["luoyang-city"], qualified_agency(), starts_on=years_ago(3))

    response = as_user(api, demo["luoyang-city"]).post(
        f"{URL}{entry.pk}/lift/", {"decision": DECISION}, format="json"
    )

    assert response.status_code == 400 and response.json()["code"] == "not_in_force"
    assert api.get(URL, {"state": "expired"}).json()["count"] == 1
    assert api.get(URL, {"state": "in_force"}).json()["count"] == 0


# --- the public list ------------------------------------------------------------------------------


def test_the_public_list_needs_no_account_and_hides_the_evidence(api, demo):
    entry = add(demo["luoyang-city"], qualified_agency())
    lifted = add(demo["luoyang-city"], qualified_agency())
    as_user(api, demo["luoyang-city"]).post(
        f"{URL}{lifted.pk}/lift/", {"decision": DECISION}, format="json"
    )

    public = APIClient()
    response = public.get(PUBLIC)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {entry.pk, lifted.pk}
    row = rows[entry.pk]
    assert row["agency_name"] == entry.agency.name
    assert row["agency_credit_code"] == entry.agency.credit_code
    assert row["authority_name"] == "洛阳市工业和信息化局" and row["reason"] == REASON
    assert rows[lifted.pk]["state"] == "lifted"
    for hidden in (
        "evidence",
        "evidence_name",
        "sha256",
        "content_type",
        "created_by_name",
        "lift_reason",
        "lifted_by_name",
    ):
        assert hidden not in row, hidden
    assert DECISION not in response.content.decode()
    assert public.get(f"{PUBLIC}{entry.pk}/").json()["id"] == entry.pk
    assert public.get(f"{PUBLIC}{entry.pk}/evidence/").status_code == 404
    assert public.get(PUBLIC, {"state": "lifted"}).json()["count"] == 1
    assert public.post(PUBLIC, {}).status_code in (401, 403, 405)


def test_the_public_list_is_throttled_and_ignores_credentials():
    assert PublicBlacklistViewSet.throttle_classes == [AnonRateThrottle]
    assert PublicBlacklistViewSet.authentication_classes == []


def test_the_api_lists_queries_do_not_grow(api, demo, django_assert_max_num_queries):
    city = demo["luoyang-city"]

    def listed(count):
        for _ in range(count):
            add(city, qualified_agency())

    listed(5)
    client = as_user(api, city)
    public = APIClient()
    with django_assert_max_num_queries(20) as small:
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(20) as small_public:
        assert public.get(PUBLIC).status_code == 200
    listed(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 50
    with django_assert_max_num_queries(len(small_public.captured_queries)):
        assert len(public.get(PUBLIC).json()["results"]) == 50
