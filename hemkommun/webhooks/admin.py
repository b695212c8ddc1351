"""Administrators set up subscriptions (the signing secret is shown once, when one is made) and
follow the delivery log, which is read-only but for sending a delivery again."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Delivery, EventType, Subscription
from .sending import redeliver


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("address"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["name", "token", "url", "event_types", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["event_types"] = sorted(self.instance.event_type_set)

    def clean_event_types(self) -> str:
        return ",".join(self.cleaned_data["event_types"])


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "token", "url", "event_types", "active", "created_at", "changed_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["created_at", "changed_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = obj.issue_secret()
            messages.warning(
                request,
                _("The signing secret of %(name)s, shown only now: %(secret)s")
                % {"name": obj.name, "secret": secret},
            )
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["event_id"]
    list_select_related = ["subscription"]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Send the selected deliveries again"))
    def send_again(self, request, queryset):
        count = redeliver(queryset)
        messages.success(request, _("%(count)s deliveries will be sent again.") % {"count": count})
