from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
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
