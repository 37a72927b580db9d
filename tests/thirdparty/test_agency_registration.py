"""A 第三方评价机构 registers itself like an enterprise: its first user is agency staff, the
bureau of the jurisdiction it chose approves the registration, and it may resubmit when refused."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from greenmfg.directory import services
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db
User = get_user_model()


def form_data(**overrides):
    city = Jurisdiction.objects.get(key="410300")
    data = {
        "kind": "agency",
        "name": "洛阳绿衡评价咨询有限公司",
        "credit_code": valid_credit_code("410300"),
        "jurisdiction": city.key,
        "address": "洛阳市洛龙区开元大道9号",
        "contact_name": "赵敏",
        "contact_phone": "13900000000",
        "full_name": "赵敏",
        "username": "lvheng",
        "email": "zhaomin@lvheng.example.cn",
        "password": "Lvheng-Green-2026",
        "password_confirm": "Lvheng-Green-2026",
    }
    return {**data, **overrides}


def test_the_register_page_offers_agencies_and_the_places_level_by_level(client):
    """The place is chosen province → city → county: the page holds the provinces, and the
    cities of the chosen one when the form comes back."""
    body = client.get(reverse("directory:register")).content.decode()
    assert 'value="agency"' in body and "第三方评价机构" in body
    assert "河南省" in body and "洛阳市" not in body

    again = client.post(reverse("directory:register"), {"jurisdiction": ["410000", "410300"]})

    assert 'value="410300" selected' in again.content.decode()


def test_an_agency_registers_in_its_city_and_its_first_user_is_agency_staff(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:register"), form_data())
    assert response.status_code == 302
    user = User.objects.get(username="lvheng")
    assert user.role == "agency_staff"
    agency = user.organisation
    assert agency.kind == Organisation.Kind.AGENCY
    assert agency.status == Organisation.Status.PENDING
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__contains="洛阳绿衡评价"
    ).exists()
    assert not Notification.objects.filter(recipient=demo["luoyang-county"]).exists()


def test_an_agency_may_register_in_a_county(demo):
    user = services.registration_submit(
        **{
            key: value
            for key, value in form_data(
                jurisdiction=Jurisdiction.objects.get(key="410311"), username="lvheng2"
            ).items()
            if key != "password_confirm"
        }
    )
    assert user.role == "agency_staff" and user.organisation.jurisdiction.key == "410311"


def test_an_agency_may_not_register_in_a_province(client, demo):
    province = Jurisdiction.objects.get(key="410000")
    response = client.post(reverse("directory:register"), form_data(jurisdiction=province.key))
    assert response.status_code == 200
    assert not User.objects.filter(username="lvheng").exists()
    assert "洛阳绿衡评价咨询有限公司" in response.content.decode()


def test_the_service_refuses_an_agency_in_a_province(demo):
    data = {k: v for k, v in form_data().items() if k != "password_confirm"}
    data["jurisdiction"] = Jurisdiction.objects.get(key="410000")
    with pytest.raises(ValidationError) as refused:
        services.registration_submit(**data)
    assert refused.value.message_dict["jurisdiction"] == [
        "第三方评价机构须登记在办公场所所在的市或县（区）。"
    ]


def test_an_enterprise_still_registers_only_in_a_county_and_as_an_applicant(client, demo):
    city = Jurisdiction.objects.get(key="410300")
    response = client.post(
        reverse("directory:register"), form_data(kind="enterprise", jurisdiction=city.key)
    )
    assert "企业和园区须登记在县（区）或功能区" in response.content.decode()
    county = Jurisdiction.objects.get(key="410311")
    client.post(
        reverse("directory:register"),
        form_data(kind="enterprise", jurisdiction=county.key, credit_code=valid_credit_code()),
    )
    assert User.objects.get(username="lvheng").role == "applicant"


def test_a_wrong_credit_code_saves_nothing(client, demo):
    response = client.post(
        reverse("directory:register"), form_data(credit_code="91410300MA00000019")
    )
    assert "校验位错误" in response.content.decode()
    assert not Organisation.objects.filter(name="洛阳绿衡评价咨询有限公司").exists()


def test_the_city_approves_the_registration_and_the_agency_fills_in_its_profile(client, demo):
    client.post(reverse("directory:register"), form_data())
    agency = Organisation.objects.get(name="洛阳绿衡评价咨询有限公司")
    services.organisation_transition(
        organisation=agency, action="approve", actor=demo["luoyang-city"]
    )
    agency.refresh_from_db()
    assert agency.status == Organisation.Status.ACTIVE
    client.force_login(User.objects.get(username="lvheng"))
    response = client.get(reverse("thirdparty:profile"))
    assert response.status_code == 200
    assert "尚未填报资质信息" in response.content.decode()


def test_a_refused_agency_resubmits_its_registration(client, demo):
    client.post(reverse("directory:register"), form_data())
    agency = Organisation.objects.get(name="洛阳绿衡评价咨询有限公司")
    services.organisation_transition(
        organisation=agency, action="reject", actor=demo["luoyang-city"], comment="地址不详"
    )
    member = User.objects.get(username="lvheng")
    client.force_login(member)
    page = client.get(reverse("directory:organisation-detail", args=[agency.pk])).content.decode()
    assert 'value="resubmit"' in page
    client.post(
        reverse("directory:organisation-transition", args=[agency.pk]),
        {"action": "resubmit", "comment": "已补充地址"},
    )
    agency.refresh_from_db()
    assert agency.status == Organisation.Status.PENDING


def test_agency_staff_may_not_act_on_another_organisation(demo):
    client_agency = demo["jinan-agency"].organisation
    with pytest.raises(services.NotPermitted):
        services.organisation_transition(
            organisation=client_agency, action="deactivate", actor=demo["luoyang-agency"]
        )
