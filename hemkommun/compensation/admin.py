"""Administrators correct the compensation parameters and payee routes here; auditlog keeps
every earlier value, and the parameters page lists the changes."""

from django.contrib import admin

from .models import Claim, CostEntry, Parameter, PayeeRoute


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "key", "qualifier", "valid_from", "valid_until", "value"]
    list_filter = ["jurisdiction", "key"]
    search_fields = ["qualifier", "legal_source", "note"]


@admin.register(PayeeRoute)
class PayeeRouteAdmin(admin.ModelAdmin):
    list_display = ["municipality", "payee", "valid_from", "valid_until"]


# Costs and claims are written on the compensation pages, through the rules of claims.py (deadlines,
# decisions, states). The admin shows them for support and audit, and changes nothing.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CostEntry)
class CostEntryAdmin(ReadOnlyAdmin):
    list_display = ["payee", "category", "cost_date", "amount_eur", "claim"]
    list_filter = ["category", "payee"]
    date_hierarchy = "cost_date"


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["payee", "period_first", "period_last", "status", "claimed_eur", "paid_eur"]
    list_filter = ["status", "payee"]
