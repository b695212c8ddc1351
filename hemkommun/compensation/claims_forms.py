"""Forms of actual costs and cost claims; the services in claims.py validate again, these collect
input. Plain forms rather than ModelForms, so that a rule is reported once, in the service's words."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import Claim, CostCategory, CostEntry

AMOUNT = {"max_digits": 12, "decimal_places": 2}


def _cost_field(name: str, **kwargs) -> forms.Field:
    """The form field the model gives (label, lengths, help text in every language)."""
    return CostEntry._meta.get_field(name).formfield(**kwargs)


def _payees(payees) -> "forms.ModelChoiceField":
    field = forms.ModelChoiceField(label=_("Claimed by"), queryset=Organisation.objects.none())
    field.queryset = Organisation.objects.filter(pk__in=[payee.pk for payee in payees])
    if len(payees) == 1:
        field.initial = payees[0].pk
    return field


class CostForm(forms.Form):
    """A cost: the payee is chosen for a new one (among those the user writes) and then kept."""

    client = forms.IntegerField(
        label=_("Record number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_(
            "Shown as “Record number” on the client's page. Leave empty for a cost of no one person, "
            "such as preparing to receive quota refugees."
        ),
    )
    category = _cost_field("category")
    cost_date = _cost_field("cost_date", widget=DATE_WIDGET)
    period_from = _cost_field("period_from", widget=DATE_WIDGET)
    period_until = _cost_field("period_until", widget=DATE_WIDGET)
    # No lower bound here: the service says what is wrong with a zero or negative amount.
    amount_eur = forms.DecimalField(label=_("Amount (€)"), **AMOUNT)
    description = _cost_field("description", widget=forms.Textarea(attrs={"rows": 3}))
    invoice_reference = _cost_field("invoice_reference")
    decision_reference = _cost_field("decision_reference")
    decision_date = _cost_field("decision_date", widget=DATE_WIDGET)
    attachments = _cost_field("attachments", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, payees=None, cost: CostEntry | None = None, hide_words: bool = False, **kwargs):
        if cost is not None:
            initial = {name: getattr(cost, name) for name in self.base_fields if name != "client"}
            if hide_words:  # about a client the user may not see: the figures only
                initial.update(description="", attachments="")
            kwargs.setdefault("initial", {**initial, "client": cost.client_id})
        super().__init__(*args, **kwargs)
        if cost is None:
            self.fields = {"payee": _payees(payees or []), **self.fields}
        style_fields(self)

    def service_data(self, client) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name not in ("payee", "client")}
        return {**data, "client": client}


class CostFilterForm(forms.Form):
    payee = forms.ModelChoiceField(
        label=_("Claimed by"), queryset=Organisation.objects.none(), empty_label=None
    )
    category = forms.ChoiceField(
        label=_("Kind of cost"), choices=[("", _("All")), *CostCategory.choices], required=False
    )
    claim_state = forms.ChoiceField(
        label=_("Claim"),
        choices=[
            ("", _("All")),
            ("none", _("In no claim")),
            ("draft", _("In a draft claim")),
            ("sent", _("Claimed (sent)")),
        ],
        required=False,
    )
    near_deadline = forms.BooleanField(label=_("Claim deadline near"), required=False)

    def __init__(self, data=None, *, payees, **kwargs):
        super().__init__(data or None, **kwargs)
        self.payees = list(payees)
        self.fields["payee"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in self.payees])
        self.fields["payee"].initial = self.payees[0].pk if self.payees else None
        style_fields(self)

    def selection(self) -> dict:
        """The valid choices made; the first payee and no filter where the address says nothing
        valid (another payee's id included)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"payee": self.payees[0], "category": "", "claim_state": "", "near_deadline": False}


class ClaimForm(forms.Form):
    period_first = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_last = forms.DateField(label=_("Period until"), widget=DATE_WIDGET)

    def __init__(self, *args, payees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"payee": _payees(payees), **self.fields}
        today = timezone.localdate()
        self.fields["period_first"].initial = today.replace(year=today.year - 1, month=1, day=1)
        self.fields["period_last"].initial = today.replace(year=today.year - 1, month=12, day=31)
        style_fields(self)


class ClaimFilterForm(forms.Form):
    payee = forms.ModelChoiceField(
        label=_("Claimed by"), queryset=Organisation.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Claim.Status.choices], required=False
    )

    def __init__(self, data=None, *, payees, **kwargs):
        super().__init__(data or None, **kwargs)
        self.payees = list(payees)
        self.fields["payee"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in self.payees])
        style_fields(self)

    def selection(self) -> tuple[list[Organisation], str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        chosen = data.get("payee")
        return ([chosen] if chosen else self.payees), data.get("status", "")


class AddCostForm(forms.Form):
    """One of the payee's costs in no claim (those of the period are collected with one button)."""

    cost = forms.ModelChoiceField(label=_("Cost"), queryset=CostEntry.objects.none())

    def __init__(self, *args, costs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost"].queryset = costs
        self.fields["cost"].label_from_instance = _cost_label
        style_fields(self)


def _cost_label(cost: CostEntry) -> str:
    reference = f", {cost.invoice_reference}" if cost.invoice_reference else ""
    return f"{cost.cost_date:%d.%m.%Y} {cost.get_category_display()}: {cost.amount_eur} €{reference}"


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()
        style_fields(self)


class DecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200)
    accepted_eur = forms.DecimalField(label=_("Accepted (€)"), **AMOUNT)
    decision_note = forms.CharField(
        label=_("Reasons given for what was rejected"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    paid_eur = forms.DecimalField(label=_("Paid (€)"), **AMOUNT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
