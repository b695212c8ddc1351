"""Signing in and out: the password step, then a second factor where the user has one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hemkommun.access import policy

from . import lockout, mfa, services
from .forms import CodeForm, PasswordForm
from .middleware import mfa_setup_allowed
from .models import SignInAttempt

WRONG_PASSWORD = gettext_lazy("The user name or password is wrong.")
WRONG_CODE = gettext_lazy("The code is wrong or has already been used.")


def safe_next(request, candidate: str | None) -> str:
    """Where to go after signing in: the page asked for if it is on this site, else the start page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@mfa_setup_allowed
@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url)
    form = PasswordForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        outcome = _password_step(request, form.cleaned_data, next_url)
        if isinstance(outcome, HttpResponse):
            return outcome
        error = outcome
    context = {"form": form, "error": error, "next": next_url}
    return render(request, "registration/login.html", context, status=400 if error else 200)


def _password_step(request, data: dict, next_url: str) -> HttpResponse | str:
    """A response to go on with, or the message to show with the form again."""
    username, ip = data["username"], lockout.client_ip(request)
    stage = SignInAttempt.Stage.PASSWORD
    if lockout.is_locked(username=username, ip=ip):
        lockout.refuse_locked(username=username, ip=ip, stage=stage)
        return str(lockout.LOCKED_MESSAGE)
    user = authenticate(request, username=username, password=data["password"])
    if user is None:
        locked = lockout.record_failure(username=username, ip=ip, stage=stage)
        return str(lockout.LOCKED_MESSAGE if locked else WRONG_PASSWORD)
    if mfa.has_second_factor(user):
        services.start_second_step(request, user, first_factor="password", next_url=next_url)
        return redirect("accounts:verify")
    services.complete_sign_in(request, user, method="password", mfa=False)
    if policy.mfa_required(user):
        messages.info(request, _("Your work requires a second factor. Set one up to continue."))
        return redirect("accounts:security")
    return redirect(next_url)


def pending_user(request):
    """The user between the two steps, or None when there is none or it took too long."""
    pending = request.session.get(services.PENDING)
    if not isinstance(pending, dict):
        return None
    age = int(timezone.now().timestamp()) - pending.get("started", 0)
    user = get_user_model().objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if age > settings.MFA_PENDING_SECONDS or user is None:
        request.session.pop(services.PENDING, None)
        return None
    user.backend = pending["backend"]
    return user


def back_to_sign_in(request, message: str) -> HttpResponse:
    request.session.pop(services.PENDING, None)
    messages.error(request, message)
    return redirect("login")


@mfa_setup_allowed
@sensitive_post_parameters("code")
@never_cache
def verify(request):
    """The second step: a code from the authenticator app, a recovery code or a security key."""
    user = pending_user(request)
    if user is None:
        return back_to_sign_in(request, _("Signing in took too long or was not started. Sign in again."))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = _code_step(request, user, form.cleaned_data["code"])
        if outcome is not None:
            return outcome
        form.add_error("code", str(WRONG_CODE))
    context = {
        "form": form,
        "has_totp": hasattr(user, "totp_device"),
        "has_keys": user.security_keys.exists(),
    }
    return render(request, "accounts/verify.html", context, status=400 if form.errors else 200)


def _code_step(request, user, code: str) -> HttpResponse | None:
    """A response when the step ended (signed in, or locked out); None for a wrong code."""
    username, ip = user.get_username(), lockout.client_ip(request)
    stage = SignInAttempt.Stage.SECOND_FACTOR
    if lockout.is_locked(username=username, ip=ip):
        lockout.refuse_locked(username=username, ip=ip, stage=stage)
        return back_to_sign_in(request, str(lockout.LOCKED_MESSAGE))
    method = mfa.verify_code(user, code)
    if method is None:
        if lockout.record_failure(username=username, ip=ip, stage=stage):
            return back_to_sign_in(request, str(lockout.LOCKED_MESSAGE))
        return None
    return finish_second_step(request, user, method)


def finish_second_step(request, user, method: str) -> HttpResponse:
    pending = request.session[services.PENDING]
    first_factor = pending.get("first_factor", "password")
    services.complete_sign_in(request, user, method=f"{first_factor}+{method}", mfa=True)
    if method == "recovery_code":
        messages.warning(
            request,
            _("You signed in with a recovery code. Codes left: %(count)d.")
            % {"count": mfa.recovery_codes_left(user)},
        )
    return redirect(safe_next(request, pending["next"]))


@mfa_setup_allowed
@require_POST
def sign_out(request):
    services.end_session(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login(request):
    """The admin's own login page would sign in without our steps: it sends people to ours."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
