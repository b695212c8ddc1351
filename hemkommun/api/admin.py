"""Administrators issue and revoke the integrations' tokens here. The token itself is shown once,
right after it is issued; afterwards only its first characters."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "scopes",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    fields = ["name", "user", "scopes", "expires_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.issue_key()
            messages.warning(
                request, _("The token of %(name)s, shown only now: %(key)s") % {"name": obj.name, "key": key}
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
