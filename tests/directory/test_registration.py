"""An enterprise registers itself; the county approves. All or nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db
User = get_user_model()


def form_data(**overrides):
    county = Jurisdiction.objects.get(key="410311")
    data = {
        "kind": "enterprise",
        "name": "洛阳恒绿机械有限公司",
        "credit_code": valid_credit_code("410311"),
        "jurisdiction": county.key,
        "address": "洛阳市洛龙区古城路8号",
        "contact_name": "张伟",
        "contact_phone": "13800000000",
        "full_name": "张伟",
        "username": "hengly",
        "email": "zhangwei@hengly.example.cn",
        "password": "Hengly-Green-2026",
        "password_confirm": "Hengly-Green-2026",
    }
    return {**data, **overrides}


def test_registration_creates_pending_organisation_and_notifies_county(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:register"), form_data())
    assert response.status_code == 302
    user = User.objects.get(username="hengly")
    assert user.organisation.status == Organisation.Status.PENDING
    assert user.role == "applicant"
    county_user = demo["luoyang-county"]
    assert Notification.objects.filter(
        recipient=county_user, subject__contains="洛阳恒绿机械"
    ).exists()
    assert any("洛阳恒绿机械" in message.subject for message in mail.outbox)
    assert not Notification.objects.filter(recipient=demo["luoyang-county2"]).exists()


def test_registration_with_wrong_credit_code_saves_nothing_and_keeps_input(client, demo):
    response = client.post(
        reverse("directory:register"), form_data(credit_code="91410311MA00000019")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "校验位错误" in body
    assert "古城路8号" in body and "hengly" in body
    assert not User.objects.filter(username="hengly").exists()
    assert not Organisation.objects.filter(name="洛阳恒绿机械有限公司").exists()


def test_registration_with_taken_username_saves_no_organisation(client, demo):
    response = client.post(reverse("directory:register"), form_data(username="luoyang-enterprise"))
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()
    assert not Organisation.objects.filter(name="洛阳恒绿机械有限公司").exists()


def test_registration_with_duplicate_credit_code_saves_no_user(client, demo):
    taken = demo["luoyang-enterprise"].organisation
    response = client.post(reverse("directory:register"), form_data(credit_code=taken.credit_code))
    assert response.status_code == 200
    assert taken.name in response.content.decode()
    assert not User.objects.filter(username="hengly").exists()


def test_registration_with_weak_password_is_refused(client, demo):
    response = client.post(
        reverse("directory:register"), form_data(password="12345678", password_confirm="12345678")
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="hengly").exists()


def test_registration_password_mismatch_is_refused(client, demo):
    response = client.post(
        reverse("directory:register"), form_data(password_confirm="Other-Pass-2026")
    )
    assert "两次输入的密码不一致" in response.content.decode()


def test_registration_only_in_a_county(client, demo):
    city = Jurisdiction.objects.get(key="410300")
    response = client.post(reverse("directory:register"), form_data(jurisdiction=city.key))
    assert response.status_code == 200
    assert not User.objects.filter(username="hengly").exists()
