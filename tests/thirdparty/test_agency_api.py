"""评价机构资质 API: scoped like the pages (officials their subtree, agency staff their own),
the qualification verdict in every row, rows written by the agency's own staff only, and the
review actions for officials."""

import pytest

from tests.problems import field_errors
from thirdparty.models import AgencyProfile, ExperienceRecord, RelatedEntity, StaffMember

from .test_agency_profile import add_staff, fill, new_agency, resident_id

pytestmark = pytest.mark.django_db

S = AgencyProfile.Status


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


# --- the agencies -------------------------------------------------------------------------------


def test_officials_see_their_subtree(client, demo):
    luoyang, jinan = demo["luoyang-agency"].organisation, demo["jinan-agency"].organisation
    client.force_login(demo["luoyang-city"])
    seen = names(client.get("/api/agencies/"))
    assert luoyang.name in seen and jinan.name not in seen
    assert client.get(f"/api/agencies/{jinan.pk}/").status_code == 404
    client.force_login(demo["nation"])
    assert {luoyang.name, jinan.name} <= names(client.get("/api/agencies/"))


def test_agency_staff_see_their_own_and_others_nothing(client, demo):
    own = demo["luoyang-agency"].organisation
    client.force_login(demo["luoyang-agency"])
    assert names(client.get("/api/agencies/")) == {own.name}
    other = demo["jinan-agency"].organisation
    assert client.get(f"/api/agencies/{other.pk}/").status_code == 404
    for username in ("luoyang-enterprise", "luoyang-expert"):
        client.force_login(demo[username])
        assert client.get("/api/agencies/").json()["count"] == 0


def test_the_verdict_is_in_every_row(client, demo):
    agency, _member = new_agency()
    fill(agency, green=9, status=S.SUBMITTED)
    client.force_login(demo["luoyang-city"])
    row = client.get(f"/api/agencies/{agency.pk}/").json()
    assert row["profile_status"] == "submitted" and row["profile_status_display"] == "待审核"
    assert row["legal_representative_id_masked"] == agency.agency_profile.masked_id
    assert agency.agency_profile.legal_representative_id not in str(row)
    check = row["qualification"]
    assert check["eligible"] is False
    assert check["full_time_green_staff"] == 9 and check["senior_key_field_staff"] == 5
    [failed] = [f for f in check["findings"] if not f["passed"]]
    assert failed["citation"] == "二(三)" and "9 人，少于 10 人" in failed["message"]
    assert row["declarations"]["has_fixed_office"] is True
    qualified = client.get("/api/agencies/", {"qualified": "yes"}).json()["results"]
    assert all(r["qualification"]["eligible"] for r in qualified)


def test_an_agency_without_a_profile_is_listed_as_not_started(client, demo):
    agency, _member = new_agency()
    client.force_login(demo["luoyang-city"])
    row = client.get(f"/api/agencies/{agency.pk}/").json()
    assert row["profile_status"] == "" and row["profile_status_display"] == "未填报"
    assert [
        r["id"] for r in client.get("/api/agencies/", {"status": "none"}).json()["results"]
    ] == [agency.pk]


def test_the_list_keeps_a_constant_number_of_queries(client, demo, django_assert_max_num_queries):
    def more(count):
        for _ in range(count):
            agency, _member = new_agency()
            fill(agency, green=3, senior=1)

    more(4)
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as small:
        assert client.get("/api/agencies/").json()["count"] == 5
    more(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/agencies/").json()["results"]) == 50


# --- the agency writes its own --------------------------------------------------------------------


def test_agency_staff_save_submit_and_officials_approve(client, demo):
    agency, member = new_agency()
    fill(agency)
    AgencyProfile.objects.filter(organisation=agency).update(legal_representative="")
    client.force_login(member)
    refused = client.post(f"/api/agencies/{agency.pk}/submit/")
    assert refused.status_code == 400 and refused.json()["reasons"] == ["请填写法定代表人姓名。"]
    saved = client.patch(
        f"/api/agencies/{agency.pk}/profile/",
        {"legal_representative": "钱法人"},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["legal_representative"] == "钱法人"
    assert AgencyProfile.objects.get(organisation=agency).has_fixed_office is True  # kept
    submitted = client.post(f"/api/agencies/{agency.pk}/submit/")
    assert submitted.json()["profile_status"] == "submitted"
    assert (
        client.post(
            f"/api/agencies/{agency.pk}/approve/", content_type="application/json"
        ).status_code
        == 403
    )

    client.force_login(demo["luoyang-city"])
    version = client.get(f"/api/agencies/{agency.pk}/").json()["version"]
    approved = client.post(
        f"/api/agencies/{agency.pk}/approve/",
        {"comment": "同意", "version": version},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["profile_status"] == "approved"


def test_a_wrong_id_number_comes_back_on_its_field(client):
    agency, member = new_agency()
    client.force_login(member)
    response = client.patch(
        f"/api/agencies/{agency.pk}/profile/",
        {"legal_representative_id": resident_id(3)[:-1] + "Y"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "身份证号码" in field_errors(response)["legal_representative_id"][0]


def test_officials_cannot_write_a_profile(client, demo):
    agency = demo["luoyang-agency"].organisation
    client.force_login(demo["luoyang-city"])
    response = client.patch(
        f"/api/agencies/{agency.pk}/profile/",
        {"office_address": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_approval_refused_while_unqualified_lists_the_reasons(client, demo):
    agency, _member = new_agency()
    fill(agency, experience=0, status=S.SUBMITTED)
    client.force_login(demo["luoyang-city"])
    response = client.post(f"/api/agencies/{agency.pk}/approve/", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "not_qualified" and "济南 第十四条" in body["detail"]
    assert body["reasons"] == [
        "大连 二(五)：近五年无绿色制造相关评审、评价、科研、标准或政策制定业绩"
    ]


def test_returning_needs_a_comment(client, demo):
    agency, _member = new_agency()
    fill(agency, status=S.SUBMITTED)
    client.force_login(demo["luoyang-city"])
    assert (
        client.post(
            f"/api/agencies/{agency.pk}/return/", content_type="application/json"
        ).status_code
        == 400
    )
    response = client.post(
        f"/api/agencies/{agency.pk}/return/",
        {"comment": "请补充业绩证明"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["profile_status"] == "returned"


def test_another_citys_official_cannot_decide(client, demo):
    agency, _member = new_agency()
    fill(agency, status=S.SUBMITTED)
    client.force_login(demo["jinan-city"])
    assert (
        client.post(
            f"/api/agencies/{agency.pk}/approve/", content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(demo["luoyang-county"])
    assert (
        client.post(
            f"/api/agencies/{agency.pk}/approve/", content_type="application/json"
        ).status_code
        == 404
    )


# --- the rows -----------------------------------------------------------------------------------


def test_staff_are_written_by_their_agency_and_read_by_officials(client, demo):
    agency, member = new_agency()
    client.force_login(member)
    created = client.post(
        "/api/agency-staff/",
        {"name": "孙评价", "title_level": "senior", "field": "ecology"},
        content_type="application/json",
    )
    assert created.status_code == 201
    row = created.json()
    assert (
        row["full_time"] is True and row["field_display"] == "生态" and row["agency"] == agency.pk
    )
    changed = client.patch(
        f"/api/agency-staff/{row['id']}/", {"full_time": False}, content_type="application/json"
    )
    assert changed.json()["full_time"] is False and changed.json()["name"] == "孙评价"
    bad = client.post(
        "/api/agency-staff/",
        {"name": "某", "title_level": "chief", "field": "ecology"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "title_level" in field_errors(bad)

    client.force_login(demo["luoyang-city"])
    listed = client.get("/api/agency-staff/", {"agency": agency.pk}).json()
    assert [r["name"] for r in listed["results"]] == ["孙评价"]
    assert (
        client.patch(
            f"/api/agency-staff/{row['id']}/", {"name": "改名"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/agency-staff/{row['id']}/").status_code == 403
    assert (
        client.post(
            "/api/agency-staff/",
            {"name": "某", "title_level": "senior", "field": "energy"},
            content_type="application/json",
        ).status_code
        == 403
    )

    client.force_login(demo["jinan-city"])
    assert client.get("/api/agency-staff/", {"agency": agency.pk}).json()["count"] == 0

    client.force_login(member)
    assert client.delete(f"/api/agency-staff/{row['id']}/").status_code == 204
    assert not StaffMember.objects.filter(agency=agency).exists()


def test_an_agency_cannot_touch_another_agencys_rows(client, demo):
    _agency, member = new_agency()
    other = demo["luoyang-agency"].organisation
    row = StaffMember.objects.filter(agency=other).first()
    client.force_login(member)
    assert client.get(f"/api/agency-staff/{row.pk}/").status_code == 404
    assert client.delete(f"/api/agency-staff/{row.pk}/").status_code == 404
    assert client.get("/api/agency-staff/", {"agency": other.pk}).json()["count"] == 0


def test_experience_and_related_entities(client, demo):
    agency, member = new_agency()
    client.force_login(member)
    record = client.post(
        "/api/agency-experience/",
        {"kind": "research", "title": "省级科研项目", "year": 2025, "led": True},
        content_type="application/json",
    )
    assert record.status_code == 201 and record.json()["kind_display"] == "省级以上科研项目"
    future = client.post(
        "/api/agency-experience/",
        {"kind": "research", "title": "未来项目", "year": 2999},
        content_type="application/json",
    )
    assert future.status_code == 400 and "不能晚于今年" in field_errors(future)["year"][0]
    other = demo["dalian-agency"].organisation
    entity = client.post(
        "/api/agency-related-entities/",
        {"name": other.name, "credit_code": other.credit_code, "relation": "affiliate"},
        content_type="application/json",
    )
    assert entity.status_code == 201
    assert entity.json()["related_agency"] == other.pk
    assert entity.json()["related_agency_name"] == other.name
    wrong = client.post(
        "/api/agency-related-entities/",
        {"name": "某", "credit_code": "91410311MA00000019", "relation": "other"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "校验位错误" in field_errors(wrong)["credit_code"][0]
    assert ExperienceRecord.objects.filter(agency=agency).count() == 1
    assert RelatedEntity.objects.filter(agency=agency).count() == 1
    client.force_login(demo["luoyang-city"])
    assert client.get("/api/agency-experience/", {"agency": agency.pk}).json()["count"] == 1
    assert client.get("/api/agency-related-entities/", {"agency": agency.pk}).json()["count"] == 1


def test_a_change_through_the_api_sends_an_approved_profile_back(client, demo):
    agency, member = new_agency()
    fill(agency, status=S.APPROVED)
    client.force_login(member)
    client.post(
        "/api/agency-staff/",
        {"name": "新人", "title_level": "intermediate", "field": "other"},
        content_type="application/json",
    )
    assert AgencyProfile.objects.get(organisation=agency).status == S.SUBMITTED


def test_the_staff_endpoint_keeps_a_constant_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    agency, _member = new_agency()
    add_staff(agency, 5)
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as small:
        assert client.get("/api/agency-staff/", {"agency": agency.pk}).json()["count"] == 5
    add_staff(agency, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/agency-staff/", {"agency": agency.pk}).json()["count"] == 50
