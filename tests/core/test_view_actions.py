"""The one error story of the views: a service's refusal becomes flash messages (or form
errors), its success a success message, and the user is redirected either way."""

from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from greenmfg.core.actions import act, act_on_form, refusal_messages
from greenmfg.core.errors import DomainError


def _request():
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _shown(request):
    return [(message.level, message.message) for message in get_messages(request)]


def _refuse(error):
    def call():
        raise error

    return call


def test_act_domain_error_with_reasons_shows_one_message_per_reason_and_redirects():
    request = _request()
    error = DomainError("暂不能提交：缺少材料；未自查", reasons=["缺少材料", "未自查"])
    response = act(request, _refuse(error), success="已提交。", redirect_to="/back/")
    assert response.status_code == 302
    assert response.url == "/back/"
    assert _shown(request) == [(constants.ERROR, "缺少材料"), (constants.ERROR, "未自查")]


def test_act_domain_error_without_reasons_shows_its_message():
    request = _request()
    act(request, _refuse(DomainError("该申报已撤回。")), success="好", redirect_to="/back/")
    assert _shown(request) == [(constants.ERROR, "该申报已撤回。")]


def test_act_validation_error_on_a_field_shows_the_fields_message_after_its_label():
    request = _request()
    error = ValidationError({"reason": ["请写明原因。"], "__all__": ["不能重复提交。"]})
    response = act(
        request, _refuse(error), success="好", redirect_to="/back/", labels={"reason": "原因"}
    )
    assert response.url == "/back/"
    assert _shown(request) == [
        (constants.ERROR, "原因：请写明原因。"),
        (constants.ERROR, "不能重复提交。"),
    ]


def test_act_validation_error_without_a_label_shows_the_message_as_is():
    assert refusal_messages(ValidationError({"reason": "请写明原因。"})) == ["请写明原因。"]
    assert refusal_messages(ValidationError(["一", "二"])) == ["一", "二"]


def test_act_success_adds_the_success_message_and_redirects():
    request = _request()
    response = act(request, lambda: 3, success=lambda n: f"已办理 {n} 件。", redirect_to="/done/")
    assert response.status_code == 302
    assert response.url == "/done/"
    assert _shown(request) == [(constants.SUCCESS, "已办理 3 件。")]


def test_act_success_without_a_message_only_redirects():
    request = _request()
    response = act(request, lambda: None, success=None, redirect_to="/done/")
    assert response.url == "/done/"
    assert _shown(request) == []


class _ReasonForm(forms.Form):
    reason = forms.CharField(label="原因")


def test_act_on_form_puts_the_refusal_on_the_field_and_keeps_the_entered_data():
    request = _request()
    form = _ReasonForm({"reason": "已写的原因"})
    assert form.is_valid()
    error = DomainError("原因过短。", field="reason")
    response = act_on_form(request, form, _refuse(error), success="好", redirect_to="/done/")
    assert response is None
    assert form.errors["reason"] == ["原因过短。"]
    assert form.data["reason"] == "已写的原因"
    assert _shown(request) == []


def test_act_on_form_success_adds_the_message_and_redirects():
    request = _request()
    form = _ReasonForm({"reason": "好的原因"})
    assert form.is_valid()
    response = act_on_form(request, form, lambda: None, success="已保存。", redirect_to="/done/")
    assert response.url == "/done/"
    assert _shown(request) == [(constants.SUCCESS, "已保存。")]


def test_act_brief_shows_one_message_only():
    request = _request()
    error = DomainError("不能推荐：缺少材料；未自查", reasons=["缺少材料", "未自查"])
    act(request, _refuse(error), success="好", redirect_to="/back/", brief=True)
    assert _shown(request) == [(constants.ERROR, "不能推荐：缺少材料；未自查")]
    assert refusal_messages(ValidationError(["一", "二"]), brief=True) == ["一 二"]
    assert refusal_messages(ValidationError(["一", "二"]), brief=True, separator="；") == ["一；二"]


def test_act_on_form_redirects_to_what_the_service_made_with_its_own_messages():
    request = _request()
    form = _ReasonForm({"reason": "好的原因"})
    assert form.is_valid()
    response = act_on_form(
        request,
        form,
        lambda: 7,
        success=lambda n: [(constants.WARNING, f"第 {n} 号逾期。"), (constants.INFO, "已记录。")],
        redirect_to=lambda n: f"/records/{n}/",
    )
    assert response.url == "/records/7/"
    assert _shown(request) == [(constants.WARNING, "第 7 号逾期。"), (constants.INFO, "已记录。")]


class _OwnPlacementForm(_ReasonForm):
    def add_service_errors(self, error):
        self.add_error("reason", f"自行放置：{error.message}")


def test_act_on_form_lets_a_form_place_the_refusal_itself():
    request = _request()
    form = _OwnPlacementForm({"reason": "原因"})
    assert form.is_valid()
    response = act_on_form(
        request, form, _refuse(DomainError("模板不可用。")), success="好", redirect_to="/done/"
    )
    assert response is None
    assert form.errors["reason"] == ["自行放置：模板不可用。"]


def test_a_lazy_success_message_is_shown_as_text():
    from django.utils.translation import gettext_lazy

    request = _request()
    act(request, lambda: None, success=lambda _: gettext_lazy("已保存。"), redirect_to="/done/")
    assert _shown(request) == [(constants.SUCCESS, "已保存。")]
