from django.contrib import admin

from greenmfg.directory.models import Jurisdiction, Organisation


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "code", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
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
