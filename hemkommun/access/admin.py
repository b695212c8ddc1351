"""Legal bases are law data that legal counsel may correct (a new row from the day it applies);
consents are recorded by staff on the client page and only shown here. auditlog keeps every
earlier value."""

from django.contrib import admin

from .models import Consent, LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["purpose", "kind", "valid_from", "source"]
    list_filter = ["purpose", "kind"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["client", "purpose", "scope", "given_on", "valid_until", "withdrawn_at"]
    list_filter = ["purpose", "scope"]
    raw_id_fields = ["client"]

    def has_add_permission(self, request):
        return False  # through the client page, where the rules are checked

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
