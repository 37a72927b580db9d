import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
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


# The database errors that mean "not now" rather than "never": the server restarting, stopped or
# unreachable (within DB_CONNECT_TIMEOUT), a connection broken under the request, a deadlock or
# a serialisation conflict. The request may be sent again as it is.
UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait (Retry-After): a PostgreSQL restart takes a few.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """500, or 503 with ``Retry-After`` when the database is unavailable (Django calls this
    handler inside the ``except`` that caught the error, so it is read from ``sys.exc_info``).
    A page answers with a static page in Chinese, an API request with a problem document; both
    are built without the database and without the request's context."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, UNAVAILABLE)
    if request.path.startswith("/api/"):
        if unavailable:
            response = problem_json_response(
                503,
                _("数据库暂时不可用，请求未被处理。请在 %(seconds)d 秒后重试。")
                % {"seconds": RETRY_AFTER_SECONDS},
                code="unavailable",
            )
        else:
            response = problem_json_response(
                500, _("服务器内部错误，错误已记录。请稍后重试。"), code="server_error"
            )
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(
            template.render({"retry_after": RETRY_AFTER_SECONDS}),
            status=503 if unavailable else 500,
        )
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (the page open too long after a sign-out, cookies
    blocked, the form sent from another site): 403 in the portal's layout and in Chinese, saying
    how to send it again, where Django's page is in English. ``reason`` is Django's, for the
    log only. The API's own views check CSRF in DRF's session authentication, whose refusal is
    already a problem document; any other ``/api/`` path gets one here."""
    if request.path.startswith("/api/"):
        return problem_json_response(
            403, _("CSRF 校验失败：请求未被处理。请刷新页面后重新提交。"), code="csrf_failed"
        )
    return render(request, "403_csrf.html", status=403)


def healthz(request):
    """For load balancers and docker compose: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
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
