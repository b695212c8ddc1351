"""Administrators correct the programme review intervals (law data) here; auditlog keeps every
earlier value."""

from django.contrib import admin

from .models import ReviewInterval


@admin.register(ReviewInterval)
class ReviewIntervalAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "valid_from", "valid_until", "years", "legal_source"]
    list_filter = ["jurisdiction"]
