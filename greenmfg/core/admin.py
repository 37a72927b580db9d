from django.contrib import admin

from greenmfg.core.imports.models import ImportRun


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
