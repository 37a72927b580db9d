"""The review of an agency's profile: the agency submits; an official of a bureau whose subtree
contains the agency approves or returns it; approval is refused while the qualification check
fails (济南 第十四条); a change to an approved profile sends it back for review."""

import pytest
from django.urls import reverse

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from tests.factories import official
from thirdparty.models import AgencyProfile, Engagement, StaffMember
from thirdparty.services import profile as services

from .helpers import batch_of, draft, name_agency
from .test_agency_profile import add_staff, fill, new_agency

pytestmark = pytest.mark.django_db

S = AgencyProfile.Status


def submitted(agency, **kwargs) -> AgencyProfile:
    return fill(agency, status=S.SUBMITTED, **kwargs)


# --- submission ---------------------------------------------------------------------------------


def test_an_incomplete_profile_is_not_submitted_and_the_gaps_are_listed():
    agency, member = new_agency()
    services.profile_save(agency=agency, actor=member, has_fixed_office=True)
    with pytest.raises(DomainError) as refused:
        services.profile_submit(agency=agency, actor=member)
    assert refused.value.reasons == [
        "请填写法定代表人姓名。",
        "请填写法定代表人身份证号码。",
        "已声明具有固定办公场所，请填写办公地址。",
    ]
    assert AgencyProfile.objects.get(organisation=agency).status == S.DRAFT


def test_submission_tells_the_bureau_of_the_agencys_city(demo, client):
    agency, member = new_agency()
    fill(agency, green=3)  # not yet qualified: it may still submit
    client.force_login(member)
    page = client.get(reverse("thirdparty:profile")).content.decode()
    assert "审核部门在条件符合前不能审核通过" in page
    response = client.post(reverse("thirdparty:profile-submit"))
    assert response.status_code == 302
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.status == S.SUBMITTED and profile.submitted_at is not None
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__contains=agency.name
    ).exists()
    assert not Notification.objects.filter(recipient=demo["henan"]).exists()
    assert not Notification.objects.filter(recipient=demo["luoyang-county"]).exists()
    [entry] = audit_entries_for(subject=profile).filter(action="submit")
    assert (entry.from_state, entry.to_state) == (S.DRAFT, S.SUBMITTED)


def test_a_county_agency_is_announced_to_its_county(demo):
    agency, member = new_agency(city_key="410311")
    fill(agency)
    services.profile_submit(agency=agency, actor=member)
    assert Notification.objects.filter(recipient=demo["luoyang-county"]).exists()
    assert not Notification.objects.filter(recipient=demo["luoyang-city"]).exists()


def test_a_submitted_profile_is_not_submitted_twice():
    agency, member = new_agency()
    submitted(agency)
    with pytest.raises(DomainError, match="当前状态为「待审核」"):
        services.profile_submit(agency=agency, actor=member)


# --- who decides --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["luoyang-city", "henan", "nation", "admin"])
def test_the_city_the_province_the_nation_and_the_administrator_may_approve(demo, username):
    agency, _member = new_agency()
    submitted(agency)
    profile = services.profile_decide(
        agency=agency, actor=demo[username], action="approve", comment="条件齐备"
    )
    assert profile.status == S.APPROVED
    assert profile.decided_by == demo[username] and profile.decision_comment == "条件齐备"


def test_the_county_approves_an_agency_in_its_county(demo):
    agency, _member = new_agency(city_key="410311")
    submitted(agency)
    services.profile_decide(agency=agency, actor=demo["luoyang-county"], action="approve")
    assert AgencyProfile.objects.get(organisation=agency).status == S.APPROVED


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "jinan-city", "shandong", "luoyang-enterprise", "luoyang-expert"],
)
def test_others_may_not_decide(demo, username):
    agency, _member = new_agency()  # in 洛阳市 itself, above the county
    submitted(agency)
    with pytest.raises(NotPermitted):
        services.profile_decide(agency=agency, actor=demo[username], action="approve")
    assert AgencyProfile.objects.get(organisation=agency).status == S.SUBMITTED


def test_the_agency_may_not_approve_itself():
    agency, member = new_agency()
    submitted(agency)
    with pytest.raises(NotPermitted):
        services.profile_decide(agency=agency, actor=member, action="approve")


def test_a_county_official_of_another_county_may_not_decide(demo):
    agency, _member = new_agency(city_key="410311")
    submitted(agency)
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        services.profile_decide(agency=agency, actor=demo["luoyang-county2"], action="approve")


# --- the decision -------------------------------------------------------------------------------


def test_approval_is_refused_while_the_qualification_fails_and_lists_the_findings(demo):
    agency, _member = new_agency()
    submitted(agency, green=9, senior=4, experience=0, has_finance_system=False)
    with pytest.raises(DomainError) as refused:
        services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")
    error = refused.value
    assert error.code == "not_qualified"
    assert "济南 第十四条" in error.message
    assert error.reasons == [
        "大连 二(二)：具有健全的财务管理制度：未声明或不具备",
        "大连 二(三)：从事绿色评价的中级职称以上专职人员 9 人，少于 10 人",
        "大连 二(三)：其中能源、环境、生态、低碳、生命周期评价等相关专业高级职称人员 4 人，"
        "少于 5 人",
        "大连 二(五)：近五年无绿色制造相关评审、评价、科研、标准或政策制定业绩",
    ]
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.status == S.SUBMITTED and profile.decided_by is None


def test_the_tenth_staff_member_makes_it_approvable(demo):
    agency, member = new_agency()
    submitted(agency, green=9, senior=5)
    with pytest.raises(DomainError):
        services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")
    services.staff_add(
        agency=agency, actor=member, name="第十人", title_level="intermediate", field="other"
    )
    services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")
    assert AgencyProfile.objects.get(organisation=agency).status == S.APPROVED


def test_an_agency_whose_registration_is_pending_is_not_approved(demo):
    agency, _member = new_agency(status=Organisation.Status.PENDING)
    submitted(agency)
    with pytest.raises(DomainError, match="须先通过单位注册审核"):
        services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")


def test_approval_tells_the_agency(demo):
    agency, member = new_agency()
    submitted(agency)
    services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")
    note = Notification.objects.get(recipient=member)
    assert note.subject == "评价机构资质已审核通过"
    assert "洛阳市工业和信息化局" in note.body
    assert note.link == reverse("thirdparty:profile")
    [entry] = audit_entries_for(subject=agency.agency_profile).filter(action="approve")
    assert entry.actor == demo["luoyang-city"]


def test_returning_needs_reasons_and_the_agency_resubmits(demo):
    agency, member = new_agency()
    submitted(agency, green=5)
    with pytest.raises(DomainError, match="须填写理由"):
        services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="return")
    services.profile_decide(
        agency=agency, actor=demo["luoyang-city"], action="return", comment="专职人员不足10人"
    )
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.status == S.RETURNED and profile.decision_comment == "专职人员不足10人"
    assert "专职人员不足10人" in Notification.objects.get(recipient=member).body
    services.profile_submit(agency=agency, actor=member)
    assert AgencyProfile.objects.get(organisation=agency).status == S.SUBMITTED


def test_a_decision_on_a_profile_changed_since_it_was_seen_is_refused(demo):
    agency, member = new_agency()
    profile = submitted(agency)
    seen = services.profile_version(profile)
    services.staff_add(
        agency=agency, actor=member, name="新人", title_level="senior", field="energy"
    )
    with pytest.raises(DomainError, match="请刷新页面核对后再审核"):
        services.profile_decide(
            agency=agency, actor=demo["luoyang-city"], action="approve", version=seen
        )
    fresh = services.profile_version(AgencyProfile.objects.get(organisation=agency))
    services.profile_decide(
        agency=agency, actor=demo["luoyang-city"], action="approve", version=fresh
    )


def test_only_a_submitted_profile_is_decided(demo):
    agency, _member = new_agency()
    fill(agency)  # a draft
    with pytest.raises(DomainError, match="当前状态为「填报中」"):
        services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")


# --- re-review after a change -------------------------------------------------------------------


def approved(demo):
    agency, member = new_agency()
    fill(agency, status=S.APPROVED)
    return agency, member


@pytest.mark.parametrize(
    "change",
    [
        lambda agency, member: services.staff_add(
            agency=agency, actor=member, name="新人", title_level="senior", field="energy"
        ),
        lambda agency, member: services.staff_remove(
            member=StaffMember.objects.filter(agency=agency).first(), actor=member
        ),
        lambda agency, member: services.profile_save(
            agency=agency,
            actor=member,
            legal_representative="张法人",
            legal_representative_id=agency.agency_profile.legal_representative_id,
            office_address="新地址",
            independent_legal_entity=True,
            has_fixed_office=True,
            has_finance_system=True,
            staff_compliance=True,
            evaluation_capability=True,
        ),
        lambda agency, member: services.related_add(
            agency=agency,
            actor=member,
            name="某公司",
            credit_code=Organisation.objects.filter(kind="enterprise").first().credit_code,
            relation="parent",
        ),
        lambda agency, member: services.experience_add(
            agency=agency, actor=member, kind="policy", title="政策研究", year=2025
        ),
    ],
    ids=["staff-added", "staff-removed", "declarations", "related-entity", "experience"],
)
def test_a_change_to_an_approved_profile_sends_it_back_for_review(demo, change):
    agency, member = approved(demo)
    change(agency, member)
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.status == S.SUBMITTED
    [reopen] = audit_entries_for(subject=profile).filter(action="reopen")
    assert (reopen.from_state, reopen.to_state) == (S.APPROVED, S.SUBMITTED)
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__contains="重新审核"
    ).exists()


def test_saving_an_approved_profile_unchanged_keeps_it_approved(demo):
    agency, member = approved(demo)
    profile = agency.agency_profile
    services.profile_save(
        agency=agency,
        actor=member,
        legal_representative=profile.legal_representative,
        legal_representative_id=profile.legal_representative_id,
        office_address=profile.office_address,
        independent_legal_entity=True,
        has_fixed_office=True,
        has_finance_system=True,
        staff_compliance=True,
        evaluation_capability=True,
    )
    assert AgencyProfile.objects.get(organisation=agency).status == S.APPROVED


def test_existing_engagements_stay_and_new_ones_wait_for_the_new_approval(demo):
    agency, member = approved(demo)
    batch = batch_of("luoyang")
    engaged, applicant = draft(batch)
    assert name_agency(engaged, applicant, agency) == []
    services.staff_add(
        agency=agency, actor=member, name="新人", title_level="senior", field="energy"
    )

    late, late_applicant = draft(batch)
    [refusal] = name_agency(late, late_applicant, agency)
    assert "资质尚未通过审核" in refusal
    assert Engagement.objects.get(application=engaged).status == Engagement.Status.ACTIVE

    services.profile_decide(agency=agency, actor=demo["luoyang-city"], action="approve")
    assert name_agency(late, late_applicant, agency) == []


def test_the_pages_warn_before_an_approved_profile_is_changed(client, demo):
    _agency, member = approved(demo)
    client.force_login(member)
    for url in (
        reverse("thirdparty:profile"),
        reverse("thirdparty:profile-edit"),
        reverse("thirdparty:profile-staff-create"),
    ):
        assert "重新提交审核" in client.get(url).content.decode()
    response = client.post(
        reverse("thirdparty:profile-staff-create"),
        {"name": "新人", "full_time": "on", "title_level": "senior", "field": "energy"},
        follow=True,
    )
    assert "已重新提交审核；审核通过前不能承接新的评价委托" in response.content.decode()


# --- the officials' pages -----------------------------------------------------------------------


def test_the_official_page_masks_the_id_and_offers_the_decision(client, demo):
    agency, _member = new_agency()
    profile = submitted(agency)
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("thirdparty:agency-detail", args=[agency.pk])).content.decode()
    number = profile.legal_representative_id
    assert number not in body and profile.masked_id in body
    assert reverse("thirdparty:agency-decide", args=[agency.pk]) in body
    assert "人员000" in body  # the roster


def test_approving_from_the_page(client, demo):
    agency, _member = new_agency()
    profile = submitted(agency)
    client.force_login(demo["luoyang-city"])
    response = client.post(
        reverse("thirdparty:agency-decide", args=[agency.pk]),
        {"action": "approve", "comment": "", "version": services.profile_version(profile)},
    )
    assert response.status_code == 302
    assert AgencyProfile.objects.get(organisation=agency).status == S.APPROVED


def test_a_refused_approval_shows_the_failing_findings_and_keeps_the_comment(client, demo):
    agency, _member = new_agency()
    profile = submitted(agency, green=8)
    client.force_login(demo["luoyang-city"])
    response = client.post(
        reverse("thirdparty:agency-decide", args=[agency.pk]),
        {"action": "approve", "comment": "材料已核", "version": services.profile_version(profile)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不能审核通过" in body and "专职人员 8 人，少于 10 人" in body
    assert "材料已核" in body


def test_the_county_sees_no_decision_form_for_a_city_agency(client, demo):
    agency, _member = new_agency(city_key="410311")
    submitted(agency)
    client.force_login(demo["luoyang-county2"])
    assert client.get(reverse("thirdparty:agency-detail", args=[agency.pk])).status_code == 404
    client.force_login(demo["luoyang-county"])
    response = client.get(reverse("thirdparty:agency-detail", args=[agency.pk]))
    assert response.context["can_decide"] is True
    city_agency = demo["luoyang-agency"].organisation
    assert client.get(reverse("thirdparty:agency-detail", args=[city_agency.pk])).status_code == 404


@pytest.mark.parametrize("username", ["luoyang-agency", "luoyang-enterprise"])
def test_the_official_pages_are_for_officials(client, demo, username):
    client.force_login(demo[username])
    agency = demo["luoyang-agency"].organisation
    assert client.get(reverse("thirdparty:agency-list")).status_code == 403
    assert client.get(reverse("thirdparty:agency-detail", args=[agency.pk])).status_code == 403
    response = client.post(
        reverse("thirdparty:agency-decide", args=[agency.pk]), {"action": "approve"}
    )
    assert response.status_code == 403


def test_the_list_shows_the_subtree_filters_and_exports(client, demo):
    waiting, _member = new_agency(name="洛阳待审评价中心")
    submitted(waiting, green=4)
    new_agency(name="洛阳未填报评价中心")
    client.force_login(demo["luoyang-city"])
    url = reverse("thirdparty:agency-list")
    names = [row["agency"].name for row in client.get(url).context["rows"]]
    assert names[0] == "洛阳待审评价中心"  # waiting for a decision: first
    assert demo["luoyang-agency"].organisation.name in names
    assert demo["jinan-agency"].organisation.name not in names
    qualified = [
        row["agency"].name for row in client.get(url, {"qualified": "yes"}).context["rows"]
    ]
    assert qualified == [demo["luoyang-agency"].organisation.name]
    unqualified = {
        row["agency"].name for row in client.get(url, {"qualified": "no"}).context["rows"]
    }
    assert unqualified == {"洛阳待审评价中心", "洛阳未填报评价中心"}
    assert [row["agency"].name for row in client.get(url, {"status": "none"}).context["rows"]] == [
        "洛阳未填报评价中心"
    ]
    assert [
        row["agency"].name for row in client.get(url, {"status": "submitted"}).context["rows"]
    ] == ["洛阳待审评价中心"]
    ordered = client.get(url, {"ordering": "-green_staff"}).context["rows"]
    assert ordered[0]["agency"].green_staff_count == 10
    export = client.get(url, {"export": "xlsx", "status": "submitted"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_export_has_the_counts_and_the_verdict(client, demo):
    import io

    from openpyxl import load_workbook

    client.force_login(demo["luoyang-city"])
    export = client.get(reverse("thirdparty:agency-list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, [row] = rows[0], rows[1:]
    record = dict(zip(header, row, strict=True))
    assert record["中级以上专职绿色评价人员"] == 10 and record["资质条件"] == "符合"
    assert record["资质审核状态"] == "已通过"


def test_the_list_keeps_a_constant_number_of_queries(client, demo, django_assert_max_num_queries):
    city = Jurisdiction.objects.get(key="410300")
    client.force_login(official(city))

    def more(count):
        for _ in range(count):
            agency, _member = new_agency()
            fill(agency, green=2, senior=1)

    more(4)
    url = reverse("thirdparty:agency-list")
    with django_assert_max_num_queries(30) as small:
        assert len(client.get(url).context["rows"]) == 5
    more(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["rows"]) == 25
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_the_official_page_keeps_a_constant_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    agency, _member = new_agency()
    submitted(agency, green=5, senior=5)
    client.force_login(demo["luoyang-city"])
    url = reverse("thirdparty:agency-detail", args=[agency.pk])
    with django_assert_max_num_queries(30) as small:
        assert len(client.get(url).context["staff"]) == 5
    add_staff(agency, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["staff"]) == 50
