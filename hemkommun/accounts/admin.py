"""Sign-in attempts and sessions for the administrator, and the staff actions that end sessions."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import SignInAttempt, UserSession


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: looked at, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInAttempt)
class SignInAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip", "stage", "outcome"]
    list_filter = ["outcome", "stage"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "method", "mfa", "ip"]
    list_filter = ["method", "mfa"]
    search_fields = ["user__username"]
    exclude = ["session_key"]


@admin.action(description=_("Reset the second factor (and sign out everywhere)"))
def reset_mfa_action(modeladmin, request, queryset) -> None:
    for user in queryset:
        services.reset_mfa(user=user, by=request.user)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d staff member was reset.",
            "The second factors of %(count)d staff members were reset.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Deactivate (and sign out everywhere)"))
def deactivate_action(modeladmin, request, queryset) -> None:
    for user in queryset.exclude(pk=request.user.pk):
        services.deactivate(user=user, by=request.user)
    modeladmin.message_user(request, _("The selected staff members were deactivated."), messages.SUCCESS)
