"""The account's security page (account/security/): second factors, recovery codes, sessions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hemkommun.access import policy

from . import mfa, services
from .forms import TotpEnrolForm
from .middleware import mfa_setup_allowed
from .models import SecurityKey, TotpDevice

TOTP_SECRET = "accounts.totp_secret"  # the secret being enrolled, until a code confirms it


def factor_change_refusal(request, *, first_factor: bool = True) -> str | None:
    """Why this session may not change the sign-in factors now, or None. Factors are changed in a
    session that passed a second factor (a user with none may add a first one, where
    ``first_factor`` allows it) and that signed in within the last minutes (RECENT_SIGN_IN)."""
    may_add_first = first_factor and not mfa.has_second_factor(request.user)
    if not (services.second_factor_passed(request) or may_add_first):
        return _("Sign in with your second factor to change it.")
    if not services.signed_in_recently(request):
        return _("For your safety, sign in again before you change how you sign in.")
    return None


def may_change_factors(request) -> bool:
    return factor_change_refusal(request) is None


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
        "may_change_existing": factor_change_refusal(request, first_factor=False) is None,
        "sign_in_again": not services.signed_in_recently(request),
    }
    return render(request, "accounts/security.html", context)


@mfa_setup_allowed
@login_required
@never_cache
def totp_enrol(request):
    refusal = factor_change_refusal(request)
    if refusal:
        messages.error(request, refusal)
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
    refusal = factor_change_refusal(request, first_factor=False)
    if refusal:
        messages.error(request, refusal)
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
    """Removing is a change of factors, and leaves one where a second factor is required."""
    refusal = factor_change_refusal(request, first_factor=False)
    if refusal:
        messages.error(request, refusal)
        return False
    if remaining == 0 and policy.mfa_required(request.user):
        messages.error(
            request, _("Your work requires a second factor: add another before removing this one.")
        )
        return False
    return True


@login_required
@require_POST
def sign_in_again(request):
    """Ends this session and comes back to the security page through a fresh sign-in."""
    services.end_session(request)
    return redirect(f"{reverse('login')}?{urlencode({'next': reverse('accounts:security')})}")


@mfa_setup_allowed
@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.user, reason="by the user")
    logout(request)
    messages.success(request, _("You were signed out of every session. Sign in again."))
    return redirect("login")
