from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from greenmfg.core.imports.models import ImportRun
from greenmfg.core.models import OutboxTask
from greenmfg.core.outbox import flush_outbox


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """导入记录, to look at: a run is written by the import services only (its file, counts and
    state are the record of what was uploaded and applied), so nothing here changes one."""

    list_display = [
        "kind",
        "uploaded_by",
        "uploaded_at",
        "original_name",
        "sha256",
        "rows",
        "new",
        "matched",
        "unchanged",
        "errors",
        "written",
        "state",
    ]
    list_filter = ["kind", "state"]
    search_fields = ["original_name", "sha256", "uploaded_by__username"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["uploaded_by"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """待投递任务: the tasks the broker has not taken yet (greenmfg.core.outbox). Written and
    deleted by the outbox only; an operator looks at what waits and why, sends them now once
    Redis is back, or deletes one whose task no process knows any more (a task renamed by a
    deploy), which the flush would otherwise keep trying."""

    list_display = ["id", "task", "queue", "created_at", "attempts", "short_error"]
    list_filter = ["task"]
    search_fields = ["task", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["task", "args", "queue", "created_at", "attempts", "last_error"]
    actions = ["send_now"]

    @admin.display(description=_("最后错误"))
    def short_error(self, row: OutboxTask) -> str:
        return row.last_error[:120]

    @admin.action(description=_("立即投递所选任务"))
    def send_now(self, request, queryset):
        # Oldest first and once each, as the five-minute flush (no grace: an operator sends
        # them once the broker is back); stops at the first the broker refuses.
        selected = list(queryset.values_list("id", flat=True))
        published = flush_outbox(grace=0, only=selected)
        left = OutboxTask.objects.filter(id__in=selected).count()
        self.message_user(
            request,
            _("已投递 %(published)d 个任务，未投递 %(left)d 个（见“最后错误”）。")
            % {"published": published, "left": left},
            messages.SUCCESS if not left else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
