from django.contrib import admin

from registry.models import Listing


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "unit_type", "level", "year", "document_number", "status"]
    list_filter = ["level", "unit_type", "year", "status"]
    search_fields = ["organisation__name", "organisation__credit_code", "document_number"]
    raw_id_fields = ["organisation", "jurisdiction", "authority", "batch", "application"]
    # A removal goes through dynamic_mgmt's removal decision, which announces it and tells the
    # lists above; the status is not edited by hand here.
    readonly_fields = ["status", "removed_on", "created_by", "created_at"]
