"""Administrators correct the compensation parameters and payee routes here; auditlog keeps
every earlier value, and the parameters page lists the changes."""

from django.contrib import admin

from .models import Parameter, PayeeRoute


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "key", "qualifier", "valid_from", "valid_until", "value"]
    list_filter = ["jurisdiction", "key"]
    search_fields = ["qualifier", "legal_source", "note"]


@admin.register(PayeeRoute)
class PayeeRouteAdmin(admin.ModelAdmin):
    list_display = ["municipality", "payee", "valid_from", "valid_until"]
