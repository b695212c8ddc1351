"""The account's security page (account/security/): second factors, recovery codes, sessions."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hemkommun.access import policy

from . import mfa, services
from .forms import TotpEnrolForm
from .middleware import mfa_setup_allowed
from .models import SecurityKey, TotpDevice

TOTP_SECRET = "accounts.totp_secret"  # the secret being enrolled, until a code confirms it


def may_change_factors(request) -> bool:
    """Second factors are changed in a session that passed one; a user with none adds the first."""
    return services.second_factor_passed(request) or not mfa.has_second_factor(request.user)


@mfa_setup_allowed
@login_required
@never_cache
def security(request):
    user = request.user
    context = {
        "totp": TotpDevice.objects.filter(user=user).first(),
        "keys": SecurityKey.objects.filter(user=user),
        "recovery_left": mfa.recovery_codes_left(user),
        "required": policy.mfa_required(user),
        "must_enrol": policy.mfa_required(user) and not services.second_factor_passed(request),
        "may_change": may_change_factors(request),
        "passed": services.second_factor_passed(request),
    }
    return render(request, "accounts/security.html", context)


@mfa_setup_allowed
@login_required
@never_cache
def totp_enrol(request):
    if not may_change_factors(request):
        messages.error(request, _("Sign in with your second factor to change it."))
        return redirect("accounts:security")
    secret = request.session.get(TOTP_SECRET) or mfa.new_totp_secret()
    request.session[TOTP_SECRET] = secret
    form = TotpEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.enrol_totp(request.user, secret, form.cleaned_data["code"]):
            return _enrolled(request)
        form.add_error("code", _("The code does not match. Check the time on your phone and try again."))
    uri = mfa.provisioning_uri(request.user, secret)
    context = {
        "form": form,
        "secret": secret,
        "qr_svg": mfa.qr_code_svg(uri, title=_("QR code for the authenticator app")),
    }
    return render(request, "accounts/totp_enrol.html", context, status=400 if form.errors else 200)


def _enrolled(request):
    """The first factor enrolled also brings the recovery codes; the session is raised."""
    request.session.pop(TOTP_SECRET, None)
    services.mark_second_factor_passed(request)
    messages.success(request, _("The authenticator app is set up."))
    if mfa.recovery_codes_left(request.user):
        return redirect("accounts:security")
    return _show_codes(request, mfa.regenerate_recovery_codes(request.user))


def _show_codes(request, codes: list[str]):
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@mfa_setup_allowed
@login_required
@never_cache
def recovery_codes_new(request):
    """The codes made when a security key was added as the first factor, shown once."""
    codes = request.session.pop("accounts.new_codes", None)
    return _show_codes(request, codes) if codes else redirect("accounts:security")


@login_required
@require_POST
@never_cache
def recovery_regenerate(request):
    if not services.second_factor_passed(request):
        messages.error(request, _("Sign in with your second factor to change it."))
        return redirect("accounts:security")
    return _show_codes(request, mfa.regenerate_recovery_codes(request.user))


@login_required
@require_POST
def totp_remove(request):
    if not may_remove(request, remaining=SecurityKey.objects.filter(user=request.user).count()):
        return redirect("accounts:security")
    TotpDevice.objects.filter(user=request.user).delete()
    messages.success(request, _("The authenticator app was removed."))
    return redirect("accounts:security")


def may_remove(request, *, remaining: int) -> bool:
    """Removing needs a session that passed a second factor, and leaves one where it is required."""
    if not services.second_factor_passed(request):
        messages.error(request, _("Sign in with your second factor to change it."))
        return False
    if remaining == 0 and policy.mfa_required(request.user):
        messages.error(
            request, _("Your work requires a second factor: add another before removing this one.")
        )
        return False
    return True


@mfa_setup_allowed
@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.user, reason="by the user")
    logout(request)
    messages.success(request, _("You were signed out of every session. Sign in again."))
    return redirect("login")
