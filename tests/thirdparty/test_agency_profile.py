"""本机构资质: agency staff fill in the profile, the roster, the experience and the related
entities; drafts save, refusals are specific and keep what was typed; the selector counts the
qualification from real rows with a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.directory.models import Jurisdiction, Organisation
from tests.factories import OrganisationFactory, UserFactory, valid_credit_code
from thirdparty.models import AgencyProfile, ExperienceRecord, RelatedEntity, StaffMember
from thirdparty.selectors.profile import counts_from_rows, qualification_of
from thirdparty.services import profile as services

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
DECLARED = {
    "independent_legal_entity": True,
    "has_fixed_office": True,
    "has_finance_system": True,
    "staff_compliance": True,
    "evaluation_capability": True,
}


# --- arrangements shared by the agency tests ------------------------------------------------------


def resident_id(serial: int = 1) -> str:
    """A valid 18-character resident ID number (born 1 January 1980 in 洛阳 西工区)."""
    first_17 = f"41030319800101{serial:03d}"
    return first_17 + ric.calc_check_digit(first_17 + "0")


def new_agency(city_key: str = "410300", **kwargs) -> tuple[Organisation, object]:
    """An active agency without a profile, and one of its staff."""
    agency = OrganisationFactory(
        kind=Organisation.Kind.AGENCY, jurisdiction=Jurisdiction.objects.get(key=city_key), **kwargs
    )
    member = UserFactory(role=Role.AGENCY_STAFF, organisation=agency)
    return agency, member


def add_staff(agency, count: int, **values) -> None:
    defaults = {
        "full_time": True,
        "title_level": "intermediate",
        "field": "energy",
        "green_evaluation": True,
    }
    StaffMember.objects.bulk_create(
        StaffMember(agency=agency, name=f"人员{index:03d}", **{**defaults, **values})
        for index in range(count)
    )


def fill(
    agency,
    *,
    green: int = 10,
    senior: int = 5,
    experience: int = 1,
    status: str = AgencyProfile.Status.DRAFT,
    **declared,
) -> AgencyProfile:
    """A complete profile: ``green`` counted staff of whom ``senior`` senior in a key field,
    ``experience`` recent records, every declaration unless told otherwise."""
    profile, _created = AgencyProfile.objects.update_or_create(
        organisation=agency,
        defaults={
            "legal_representative": "张法人",
            "legal_representative_id": resident_id(agency.pk % 900),
            "office_address": "洛阳市洛龙区开元大道1号",
            **DECLARED,
            **declared,
            "status": status,
        },
    )
    add_staff(agency, senior, title_level="senior")
    add_staff(agency, green - senior)
    for index in range(experience):
        ExperienceRecord.objects.create(
            agency=agency, kind="evaluation", title=f"绿色工厂评价{index}", year=THIS_YEAR - 1
        )
    return profile


# --- the profile's own fields ---------------------------------------------------------------------


def profile_data(**overrides):
    data = {
        "legal_representative": "王法人",
        "legal_representative_id": resident_id(7),
        "office_address": "洛阳市洛龙区开元大道1号",
        **{name: "on" for name in DECLARED},
    }
    return {**data, **overrides}


def test_a_draft_saves_without_the_representative(client):
    agency, member = new_agency()
    client.force_login(member)
    response = client.post(
        reverse("thirdparty:profile-edit"), {"office_address": "洛阳市涧西区1号"}
    )
    assert response.status_code == 302
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.status == AgencyProfile.Status.DRAFT
    assert profile.office_address == "洛阳市涧西区1号" and profile.legal_representative == ""
    [entry] = audit_entries_for(subject=profile)
    assert entry.action == "edit" and "办公地址" in entry.comment


def test_the_profile_saves_every_field(client):
    agency, member = new_agency()
    client.force_login(member)
    client.post(reverse("thirdparty:profile-edit"), profile_data())
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.legal_representative_id == resident_id(7)
    assert all(getattr(profile, name) for name in DECLARED)
    page = client.get(reverse("thirdparty:profile")).content.decode()
    assert resident_id(7) in page  # the agency sees its own number in full
    assert "王法人" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("41030319800101001", "身份证号码应为 18 位，您输入了 17 位"),
        ("4103031980010100AX", "前 17 位须为数字"),
        ("410303198013010019", "出生日期「19801301」无效"),
    ],
    ids=["length", "format", "birth-date"],
)
def test_a_wrong_id_number_is_refused_with_a_specific_message_and_nothing_is_lost(
    client, value, message
):
    agency, member = new_agency()
    client.force_login(member)
    response = client.post(
        reverse("thirdparty:profile-edit"), profile_data(legal_representative_id=value)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert value in body and "王法人" in body and "开元大道1号" in body
    assert not AgencyProfile.objects.filter(organisation=agency).exists()


def test_a_wrong_check_digit_names_the_expected_one(client):
    _agency, member = new_agency()
    client.force_login(member)
    valid = resident_id(7)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client.post(
        reverse("thirdparty:profile-edit"), profile_data(legal_representative_id=wrong)
    )
    assert f"第 18 位应为「{valid[-1]}」，实际为「{wrong[-1]}」" in response.content.decode()


def test_the_service_checks_the_id_number_too():
    agency, member = new_agency()
    with pytest.raises(ValidationError) as refused:
        services.profile_save(
            agency=agency, actor=member, legal_representative_id="110105194912310020"
        )
    assert "legal_representative_id" in refused.value.message_dict


def test_a_lower_case_x_is_accepted():
    for serial in range(1, 200):
        number = resident_id(serial)
        if number.endswith("X"):
            break
    agency, member = new_agency()
    profile = services.profile_save(
        agency=agency, actor=member, legal_representative_id=number.lower()
    )
    assert profile.legal_representative_id == number


def test_saving_without_a_change_records_nothing():
    agency, member = new_agency()
    profile = services.profile_save(agency=agency, actor=member, **profile_data_values())
    services.profile_save(agency=agency, actor=member, **profile_data_values())
    assert audit_entries_for(subject=profile).count() == 1


def profile_data_values():
    return {
        "legal_representative": "王法人",
        "legal_representative_id": resident_id(7),
        "office_address": "开元大道1号",
        **DECLARED,
    }


# --- the roster ---------------------------------------------------------------------------------


def staff_data(**overrides):
    data = {
        "name": "李评价",
        "full_time": "on",
        "title_level": "senior",
        "field": "low_carbon",
        "green_evaluation": "on",
    }
    return {**data, **overrides}


def test_staff_are_added_edited_and_removed(client):
    agency, member = new_agency()
    client.force_login(member)
    assert client.post(reverse("thirdparty:profile-staff-create"), staff_data()).status_code == 302
    row = StaffMember.objects.get(agency=agency)
    assert (row.name, row.full_time, row.title_level, row.field) == (
        "李评价",
        True,
        "senior",
        "low_carbon",
    )
    edit = reverse("thirdparty:profile-staff-update", args=[row.pk])
    assert 'value="李评价"' in client.get(edit).content.decode()
    client.post(edit, staff_data(full_time="", title_level="intermediate"))
    row.refresh_from_db()
    assert row.full_time is False and row.title_level == "intermediate"
    client.post(reverse("thirdparty:profile-staff-delete", args=[row.pk]))
    assert not StaffMember.objects.filter(agency=agency).exists()
    profile = AgencyProfile.objects.get(organisation=agency)
    assert [e.action_label for e in audit_entries_for(subject=profile)] == [
        "删除评价人员",
        "修改评价人员",
        "新增评价人员",
    ]


def test_a_staff_row_without_a_name_is_refused_and_the_rest_is_kept(client):
    agency, member = new_agency()
    client.force_login(member)
    response = client.post(
        reverse("thirdparty:profile-staff-create"), staff_data(name="", field="ecology")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"]
    assert form["field"].value() == "ecology" and form["title_level"].value() == "senior"
    assert not StaffMember.objects.filter(agency=agency).exists()


def test_the_service_refuses_unknown_choices_in_chinese():
    agency, member = new_agency()
    with pytest.raises(ValidationError) as refused:
        services.staff_add(agency=agency, actor=member, name="", title_level="x", field="y")
    assert refused.value.message_dict == {
        "name": ["请填写姓名。"],
        "title_level": ["请选择职称级别。"],
        "field": ["请选择专业领域。"],
    }


def test_another_agencys_rows_are_not_found(client):
    _agency, member = new_agency()
    other, _other_member = new_agency()
    add_staff(other, 1)
    row = StaffMember.objects.get(agency=other)
    client.force_login(member)
    assert client.get(reverse("thirdparty:profile-staff-update", args=[row.pk])).status_code == 404
    assert client.post(reverse("thirdparty:profile-staff-delete", args=[row.pk])).status_code == 404
    assert StaffMember.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("username", ["luoyang-city", "luoyang-enterprise", "luoyang-expert"])
def test_only_agency_staff_fill_in_a_profile(client, demo, username):
    client.force_login(demo[username])
    assert client.get(reverse("thirdparty:profile")).status_code == 403
    assert client.post(reverse("thirdparty:profile-staff-create"), staff_data()).status_code == 403
    assert client.post(reverse("thirdparty:profile-submit")).status_code == 403


def test_an_official_cannot_write_through_the_service(demo):
    agency = demo["luoyang-agency"].organisation
    with pytest.raises(services.NotPermitted):
        services.staff_add(
            agency=agency,
            actor=demo["luoyang-city"],
            name="某人",
            title_level="senior",
            field="energy",
        )


# --- experience ---------------------------------------------------------------------------------


def test_experience_is_recorded_and_a_future_year_refused(client):
    agency, member = new_agency()
    client.force_login(member)
    url = reverse("thirdparty:profile-experience-create")
    response = client.post(
        url, {"kind": "standard", "title": "绿色工厂评价标准", "year": THIS_YEAR + 1}
    )
    assert f"业绩年度不能晚于今年（{THIS_YEAR} 年）" in response.content.decode()
    assert "绿色工厂评价标准" in response.content.decode()
    client.post(url, {"kind": "standard", "title": "绿色工厂评价标准", "year": THIS_YEAR - 5})
    record = ExperienceRecord.objects.get(agency=agency)
    assert record.year == THIS_YEAR - 5 and record.led is False
    page = client.get(reverse("thirdparty:profile")).content.decode()
    assert "不计入" in page  # older than the five years
    assert f"{THIS_YEAR - 4}—{THIS_YEAR} 年（今年及此前四年）" in page


# --- related entities ---------------------------------------------------------------------------


def related_data(**overrides):
    return {"name": "洛阳某集团有限公司", "credit_code": valid_credit_code(), "relation": "parent"}


def test_a_related_entity_that_is_a_registered_agency_is_linked(client, demo):
    agency, member = new_agency()
    other = demo["jinan-agency"].organisation
    client.force_login(member)
    client.post(
        reverse("thirdparty:profile-related-create"),
        {"name": other.name, "credit_code": other.credit_code.lower(), "relation": "affiliate"},
    )
    entity = RelatedEntity.objects.get(agency=agency)
    assert entity.related_agency == other and entity.credit_code == other.credit_code


def test_a_related_enterprise_is_not_linked(demo):
    agency, member = new_agency()
    enterprise = demo["luoyang-enterprise"].organisation
    entity = services.related_add(
        agency=agency,
        actor=member,
        name=enterprise.name,
        credit_code=enterprise.credit_code,
        relation="parent",
    )
    assert entity.related_agency is None


def test_changing_the_code_relinks(demo):
    agency, member = new_agency()
    entity = services.related_add(
        agency=agency,
        actor=member,
        name="某单位",
        credit_code=valid_credit_code(),
        relation="other",
    )
    other = demo["dalian-agency"].organisation
    entity = services.related_update(entity=entity, actor=member, credit_code=other.credit_code)
    assert entity.related_agency == other
    entity.refresh_from_db()
    assert entity.related_agency == other


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91410311MA00000019", "校验位错误"),
        ("9141031", "应为 18 位"),
        ("", "请填写关联单位的统一社会信用代码"),
    ],
)
def test_a_wrong_related_code_is_refused(code, message):
    agency, member = new_agency()
    with pytest.raises(ValidationError) as refused:
        services.related_add(
            agency=agency, actor=member, name="某单位", credit_code=code, relation="other"
        )
    assert message in refused.value.message_dict["credit_code"][0]


def test_the_agency_itself_and_duplicates_are_refused(client):
    agency, member = new_agency()
    client.force_login(member)
    url = reverse("thirdparty:profile-related-create")
    response = client.post(
        url, {"name": "本机构", "credit_code": agency.credit_code, "relation": "other"}
    )
    assert "这是本机构自己的统一社会信用代码" in response.content.decode()
    code = valid_credit_code()
    client.post(url, {"name": "甲公司", "credit_code": code, "relation": "parent"})
    response = client.post(url, {"name": "乙公司", "credit_code": code, "relation": "other"})
    body = response.content.decode()
    assert f"统一社会信用代码 {code} 已登记为关联单位「甲公司」" in body and "乙公司" in body
    assert RelatedEntity.objects.filter(agency=agency).count() == 1


# --- the qualification from real rows ----------------------------------------------------------


def test_the_selector_counts_like_the_rules_from_real_rows(django_assert_num_queries):
    agency, _member = new_agency()
    fill(agency, green=9, senior=4, experience=0)
    add_staff(agency, 1, full_time=False)
    add_staff(agency, 1, title_level="none")
    add_staff(agency, 1, green_evaluation=False)
    add_staff(agency, 1, title_level="senior", field="other")  # counted among the ten only
    add_staff(agency, 1, title_level="senior", full_time=False)
    ExperienceRecord.objects.create(agency=agency, kind="research", title="旧", year=THIS_YEAR - 5)
    ExperienceRecord.objects.create(agency=agency, kind="policy", title="新", year=THIS_YEAR - 4)
    plain = Organisation.objects.get(pk=agency.pk)
    with django_assert_num_queries(1):
        checked = qualification_of(plain)
    rows = StaffMember.objects.filter(agency=agency)
    years = ExperienceRecord.objects.filter(agency=agency).values_list("year", flat=True)
    assert (
        {
            "full_time_green_staff": checked.facts["full_time_green_staff"],
            "senior_key_field_staff": checked.facts["senior_key_field_staff"],
            "recent_experience": checked.facts["recent_experience"],
        }
        == counts_from_rows(rows, years)
        == {
            "full_time_green_staff": 10,
            "senior_key_field_staff": 4,
            "recent_experience": 1,
        }
    )
    assert checked.staff_total == 14
    assert [f.code for f in checked.failed] == ["agency.senior_staff"]
    assert checked.failure_reasons() == [
        "大连 二(三)：其中能源、环境、生态、低碳、生命周期评价等相关专业高级职称人员 4 人，"
        "少于 5 人"
    ]


def test_an_agency_without_a_profile_fails_every_declaration():
    agency, _member = new_agency()
    checked = qualification_of(agency)
    assert not checked.eligible and len(checked.failed) == 8


def test_the_demo_agency_is_qualified(demo):
    assert qualification_of(demo["luoyang-agency"].organisation).eligible


def test_the_agency_page_shows_the_check_with_numbers_and_citations(client):
    agency, member = new_agency()
    fill(agency, green=9)
    client.force_login(member)
    body = client.get(reverse("thirdparty:profile")).content.decode()
    assert "资质条件核对" in body and "大连 二(三)" in body
    assert "从事绿色评价的中级职称以上专职人员 9 人，少于 10 人" in body
    assert "1 项条件不符合" in body


def test_the_agency_page_keeps_a_constant_number_of_queries(client, django_assert_max_num_queries):
    agency, member = new_agency()
    fill(agency, green=5, senior=5, experience=5)
    for index in range(5):
        RelatedEntity.objects.create(
            agency=agency, name=f"关联{index}", credit_code=valid_credit_code(), relation="other"
        )
    services.staff_add(
        agency=agency, actor=member, name="审计", title_level="senior", field="energy"
    )
    client.force_login(member)
    with django_assert_max_num_queries(30) as small:
        assert len(client.get(reverse("thirdparty:profile")).context["staff"]) == 6
    add_staff(agency, 45)
    for index in range(45):
        ExperienceRecord.objects.create(
            agency=agency, kind="evaluation", title=f"项{index}", year=THIS_YEAR
        )
        RelatedEntity.objects.create(
            agency=agency, name=f"关联b{index}", credit_code=valid_credit_code(), relation="other"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("thirdparty:profile"))
    assert len(response.context["staff"]) == 51
    assert len(response.context["related_entities"]) == 50


def test_the_dashboard_shows_the_profile_status(client, demo):
    client.force_login(demo["luoyang-agency"])
    body = client.get(reverse("dashboard")).content.decode()
    assert "本机构资质" in body and "已通过" in body
    assert reverse("thirdparty:profile") in body


def test_the_menu_has_the_profile_for_agency_staff_and_the_list_for_officials(client, demo):
    client.force_login(demo["luoyang-agency"])
    assert reverse("thirdparty:profile") in client.get(reverse("dashboard")).content.decode()
    client.force_login(demo["luoyang-county"])
    assert reverse("thirdparty:agency-list") in client.get(reverse("dashboard")).content.decode()


def test_birth_dates_in_the_future_are_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first_17 = f"410303{tomorrow:%Y%m%d}001"
    number = first_17 + ric.calc_check_digit(first_17 + "0")
    with pytest.raises(ValidationError) as refused:
        services.validate_resident_id(number)
    assert "出生日期" in refused.value.messages[0]
