"""Administrators correct the retention rules (law data) here; auditlog keeps every earlier value.
Destruction records are shown, never changed."""

from django.contrib import admin

from .models import DestructionRecord, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "record_type",
        "organisation",
        "valid_from",
        "valid_until",
        "years",
        "months",
        "counted_from",
        "action",
        "is_default",
    ]
    list_filter = ["record_type", "action", "is_default"]
    fields = [
        "record_type",
        "organisation",
        "valid_from",
        "valid_until",
        "years",
        "months",
        "counted_from",
        "action",
        "legal_source",
        "is_default",
    ]


@admin.register(DestructionRecord)
class DestructionRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "record_type", "action", "organisation", "client_number", "record_count", "by"]
    list_filter = ["record_type", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
