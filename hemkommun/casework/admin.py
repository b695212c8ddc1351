"""Deadline rules are corrected by the installation's administrator in the admin; auditlog keeps
every earlier value. A correction rebuilds the deadlines of the clients the rule set governs."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .deadlines import refresh_rule_set
from .models import Rule, RuleSet


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["kind", "amount", "unit", "starts_on", "stopped_by", "exempt_grounds", "legal_source", "note"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "jurisdiction", "act", "applies_from", "applies_until"]
    inlines = [RuleInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        count = refresh_rule_set(form.instance)
        messages.info(
            request, _("Deadlines recomputed for %(count)s clients under these rules.") % {"count": count}
        )
