"""The set-password e-mail of an account opened for someone else (批量导入工作人员账号).

The account has no usable password; the e-mail carries Django's password-reset token and the
confirm page's link (``password_reset_confirm``), so the person sets their own password there.
The token is made when the e-mail is sent, never stored: it is void once a password is set, the
person logs in, or ``PASSWORD_RESET_TIMEOUT`` passes. One Celery task per account
(:func:`greenmfg.accounts.tasks.task_send_set_password_email`), queued after the commit that
opened it; a retry sends nothing to an account whose password is already set.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from greenmfg.accounts.models import User


def set_password_link(user: User) -> str:
    """The confirm page of the password reset, for ``user``, as an absolute URL."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def set_password_email_send(*, user_id: int, invited_by_id: int | None = None) -> bool:
    """Send the e-mail to ``user_id``; False (nothing sent) when the account has a password
    already, is inactive or has no e-mail."""
    user = User.objects.select_related("organisation").filter(pk=user_id).first()
    if user is None or not user.is_active or not user.email or user.has_usable_password():
        return False
    inviter = User.objects.select_related("organisation").filter(pk=invited_by_id).first()
    if inviter is not None and inviter.organisation_id:
        inviter_name = inviter.organisation.name
    else:
        inviter_name = _("系统管理员")
    link = set_password_link(user)
    body = render_to_string(
        "registration/set_password_email.txt",
        {
            "user": user,
            "inviter": inviter_name,
            "role": user.get_role_display(),
            "organisation": user.organisation.name if user.organisation_id else "—",
            "link": link,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )
    send_mail(
        subject=_("[绿色制造名单管理平台] 请设置您的账号密码"),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
