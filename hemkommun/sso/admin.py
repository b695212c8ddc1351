"""Administrators configure identity providers and may remove a link (the next sign-in matches again)."""

from django.contrib import admin
from django.db import models

from .models import ExternalIdentity, IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "issuer", "match_claim", "enforces_mfa", "active"]
    list_filter = ["active", "enforces_mfa"]
    search_fields = ["name", "issuer", "client_id"]
    filter_horizontal = ["organisations"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "subject", "linked_at", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["provider", "subject", "user", "linked_at", "last_sign_in_at"]

    def has_add_permission(self, request) -> bool:
        # Links are made by signing in, where the provider vouches for the subject; never by hand.
        return False
