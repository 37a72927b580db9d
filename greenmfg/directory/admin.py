from django.contrib import admin

from greenmfg.directory.models import Jurisdiction, JurisdictionChange, Organisation


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "code", "level", "kind", "parent", "active"]
    list_filter = ["level", "kind", "active"]
    search_fields = ["name", "key", "code"]
    readonly_fields = ["path"]
    list_select_related = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "jurisdiction", "status", "created_at"]
    list_filter = ["kind", "status", "jurisdiction__level"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["jurisdiction"]
    # Status changes go through the workflow (with their audit entries), not the admin form.
    readonly_fields = ["status"]


@admin.register(JurisdictionChange)
class JurisdictionChangeAdmin(admin.ModelAdmin):
    """The division loader's history: read only."""

    list_display = ["jurisdiction", "kind", "old_value", "new_value", "as_of", "source"]
    list_filter = ["kind", "as_of"]
    search_fields = ["jurisdiction__name", "jurisdiction__code", "old_value", "new_value"]
    list_select_related = ["jurisdiction"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
