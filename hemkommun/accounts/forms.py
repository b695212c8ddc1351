from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), max_length=4096, strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=32)


class TotpEnrolForm(forms.Form):
    code = forms.CharField(label=_("Code from the app"), max_length=32)


class SecurityKeyNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the key"), max_length=100)
