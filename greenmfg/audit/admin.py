from django.contrib import admin

from greenmfg.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "actor_role",
        "object_repr",
        "action_label",
        "from_state",
        "to_state",
    ]
    list_filter = ["content_type", "action"]
    search_fields = ["object_repr", "actor_name", "comment"]
    date_hierarchy = "at"

    # The trail is read-only here as everywhere.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
