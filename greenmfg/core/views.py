from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from greenmfg.core.api.errors import problem_json_response
from greenmfg.notifications.selectors import notifications_for
from greenmfg.notifications.services import notification_mark_read


def page_not_found(request, exception):
    """404 in the portal's layout. The reason is shown when it is one of ours (in Chinese);
    Django's own ("No Application matches the given query.") is not for users."""
    message = str(exception.args[0]) if exception and exception.args else ""
    if not any("\u4e00" <= character <= "\u9fff" for character in message):
        message = ""
    if request.path.startswith("/api/"):
        # An address no API route matches: the API's own problem document, not the page.
        return problem_json_response(404, message or _("没有这个 API 地址。"), code="not_found")
    return render(request, "404.html", {"message": message}, status=404)


# What Django refuses before a view runs (SuspiciousOperation), by the reason it gives.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    """400 from Django itself (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields, a
    bad Host). On the API it is a problem document like every other refusal: 413 for a body
    too large, 400 otherwise; the pages keep the portal's 400 page."""
    if request.path.startswith("/api/"):
        if isinstance(exception, TOO_LARGE):
            return problem_json_response(
                413,
                _(
                    "请求正文过大：JSON 正文不能超过 %(size)d KB；"
                    "文件请按上传接口以 multipart 提交。"
                )
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024},
                code="too_large",
            )
        return problem_json_response(400, _("请求无效，服务器无法处理。"), code="bad_request")
    return defaults.bad_request(request, exception)


def healthz(request):
    """For load balancers and docker compose: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request):
    """The user's messages, newest first; ``?unread=1`` keeps the unread ones only."""
    notifications = notifications_for(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return render(
        request,
        "core/notifications.html",
        {"notifications": notifications[:100], "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    notification_mark_read(notification=notification)
    return redirect(notification.link or "notifications")
