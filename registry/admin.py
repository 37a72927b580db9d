from django.contrib import admin

from .models import Listing


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "unit_type", "level", "year", "document_number", "status"]
    list_filter = ["level", "unit_type", "year", "status"]
    search_fields = ["organisation__name", "organisation__credit_code", "document_number"]
    raw_id_fields = ["organisation", "jurisdiction", "authority", "batch", "application"]
    readonly_fields = ["created_by", "created_at"]
