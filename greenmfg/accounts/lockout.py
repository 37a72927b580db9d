"""What a locked-out login gets: the lockout page, or JSON for API clients."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "连续多次输入错误的密码，该账号在本机的登录已被锁定 30 分钟，请稍后再试。"
                ),
                "code": "locked_out",
            },
            status=LOCKED_STATUS,
        )
    return render(request, "registration/locked_out.html", status=LOCKED_STATUS)
