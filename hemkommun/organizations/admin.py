"""Organisations, units and staff are managed by the installation's administrator in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Organisation, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "kind", "municipality_code", "jurisdiction", "welfare_area"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name_fi", "name_sv", "code", "municipality_code"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "organisation", "kind"]
    search_fields = ["name_fi", "name_sv", "organisation__name_fi"]
