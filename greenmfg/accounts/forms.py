from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

UserModel = get_user_model()


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码错误。连续输错 5 次，该账号将在本机被锁定 30 分钟。"),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """忘记密码 also for an account that has never had a password: one created by an import
    (工作人员账号, 专家) waits for its person to set one through the e-mailed link, and once that
    link has expired, this form is the way to a new one. Django's own form skips such accounts
    (an unusable password there may mean a login elsewhere, which the portal does not have)."""

    def get_users(self, email):
        field = UserModel.get_email_field_name()
        return (
            user
            for user in UserModel._default_manager.filter(
                **{f"{field}__iexact": email, "is_active": True}
            )
            if getattr(user, field).casefold() == email.casefold()
        )
