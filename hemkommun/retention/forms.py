from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_BATCH = 100  # proposals decided in one go: each is its own transaction


class DecideForm(forms.Form):
    class Decision:
        APPROVE = "approve"
        REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.APPROVE, _("Approve and carry out")), (Decision.REJECT, _("Reject"))],
    )
    proposals = forms.TypedMultipleChoiceField(label=_("Proposals"), coerce=int, choices=())
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=300, required=False)

    def __init__(self, *args, proposal_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(pk, pk) for pk in proposal_ids]

    def clean_proposals(self):
        chosen = self.cleaned_data["proposals"]
        if len(chosen) > MAX_BATCH:
            raise forms.ValidationError(
                _("Choose at most %(count)s proposals at a time.") % {"count": MAX_BATCH}, code="batch"
            )
        return chosen


class HoldForm(forms.Form):
    client_number = forms.IntegerField(label=_("Client number"), min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    held_from = forms.DateField(label=_("From"), initial=timezone.localdate)
    held_until = forms.DateField(label=_("Until"), required=False, help_text=_("Empty: until lifted."))
