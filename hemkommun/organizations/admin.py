"""Organisations, units and staff are managed by the installation's administrator in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hemkommun.accounts import services as account_services
from hemkommun.accounts.admin import deactivate_action, reset_mfa_action

from .models import Membership, Organisation, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]
    actions = [deactivate_action, reset_mfa_action]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Deactivating in the form ends the person's sessions at once, as the action does.
        if change and "is_active" in form.changed_data and not obj.is_active:
            account_services.sign_out_everywhere(
                user=obj, reason=f"deactivated by {request.user.get_username()}"
            )


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name_fi",
        "name_sv",
        "kind",
        "municipality_code",
        "jurisdiction",
        "welfare_area",
        "mfa_required",
    ]
    list_filter = ["kind", "jurisdiction", "mfa_required"]
    search_fields = ["name_fi", "name_sv", "code", "municipality_code"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "organisation", "kind"]
    search_fields = ["name_fi", "name_sv", "organisation__name_fi"]
