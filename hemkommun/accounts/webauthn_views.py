"""Security keys and passkeys (WebAuthn, with the `webauthn` library); the browser side is
static/js/webauthn.js. Each ceremony's challenge is kept in the session and used once."""

import json

import webauthn
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from . import lockout, mfa, services
from .middleware import mfa_setup_allowed
from .models import SecurityKey, SignInAttempt
from .security_views import factor_change_refusal, may_remove
from .views import back_to_sign_in, finish_second_step, pending_user

CHALLENGE = "accounts.webauthn_challenge"
# What a broken or hostile credential raises: the library's own errors, or odd types tripping it.
BROKEN_CREDENTIAL = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)
RP_NAME = "Hemkommun"


def rp_id(request) -> str:
    """The host name keys are bound to: WEBAUTHN_RP_ID, else the host of the request."""
    return settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")


def expected_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _options_response(request, options) -> JsonResponse:
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return JsonResponse(json.loads(webauthn.options_to_json(options)))


def _take_challenge(request) -> bytes | None:
    """The challenge of the ceremony under way, removed so it cannot be answered twice."""
    challenge = request.session.pop(CHALLENGE, None)
    return webauthn.base64url_to_bytes(challenge) if challenge else None


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _descriptors(user) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(key.credential_id))
        for key in SecurityKey.objects.filter(user=user)
    ]


# --- adding a key ----------------------------------------------------------------------------------


@mfa_setup_allowed
@login_required
@require_POST
def register_options(request):
    refusal = factor_change_refusal(request)
    if refusal:
        return _refused(refusal, status=403)
    user = request.user
    options = webauthn.generate_registration_options(
        rp_id=rp_id(request),
        rp_name=RP_NAME,
        user_name=user.get_username(),
        user_id=f"hemkommun-user-{user.pk}".encode(),
        user_display_name=user.get_full_name() or user.get_username(),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return _options_response(request, options)


@mfa_setup_allowed
@login_required
@require_POST
def register(request):
    body, challenge = _json_body(request), _take_challenge(request)
    refusal = factor_change_refusal(request)
    if refusal:
        return _refused(refusal, status=403)
    name = str((body or {}).get("name") or "").strip()[:100] or _("Security key")
    # The library takes a dict or JSON text; anything else (None, a list) is refused here.
    if body is None or challenge is None or not isinstance(body.get("credential"), dict):
        return _refused(_("The security key could not be added. Try again."))
    try:
        verified = webauthn.verify_registration_response(
            credential=body.get("credential"),
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=expected_origin(request),
        )
    except BROKEN_CREDENTIAL:
        return _refused(_("The security key could not be added. Try again."))
    return _key_added(request, verified, name)


def _key_added(request, verified, name: str) -> JsonResponse:
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        return _refused(_("This security key is already in use."))
    SecurityKey.objects.create(
        user=request.user,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    services.mark_second_factor_passed(request)
    messages.success(request, _("The security key was added."))
    if mfa.recovery_codes_left(request.user):
        return JsonResponse({"redirect": reverse("accounts:security")})
    request.session["accounts.new_codes"] = mfa.regenerate_recovery_codes(request.user)
    return JsonResponse({"redirect": reverse("accounts:recovery_codes_new")})


@login_required
@require_POST
def remove(request, pk: int):
    key = get_object_or_404(SecurityKey, pk=pk, user=request.user)
    others = SecurityKey.objects.filter(user=request.user).exclude(pk=key.pk).count()
    if may_remove(request, remaining=others + int(hasattr(request.user, "totp_device"))):
        key.delete()
        messages.success(request, _("The security key was removed."))
    return redirect("accounts:security")


# --- signing in with a key -------------------------------------------------------------------------


@mfa_setup_allowed
@require_POST
def sign_in_options(request):
    user = pending_user(request)
    if user is None:
        return _refused(_("Signing in took too long or was not started. Sign in again."), status=403)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id(request),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return _options_response(request, options)


@mfa_setup_allowed
@require_POST
def sign_in(request):
    user, body, challenge = pending_user(request), _json_body(request), _take_challenge(request)
    if user is None:
        return _refused(_("Signing in took too long or was not started. Sign in again."), status=403)
    username, ip = user.get_username(), lockout.client_ip(request)
    stage = SignInAttempt.Stage.SECOND_FACTOR
    if lockout.is_locked(username=username, ip=ip):
        lockout.refuse_locked(username=username, ip=ip, stage=stage)
        return JsonResponse({"redirect": back_to_sign_in(request, str(lockout.LOCKED_MESSAGE)).url})
    key = _verified_key(request, user, body, challenge)
    if key is None:
        if lockout.record_failure(username=username, ip=ip, stage=stage):
            return JsonResponse({"redirect": back_to_sign_in(request, str(lockout.LOCKED_MESSAGE)).url})
        return _refused(_("The security key was not accepted. Try again or use a code."))
    return JsonResponse({"redirect": finish_second_step(request, user, "webauthn").url})


def _verified_key(request, user, body: dict | None, challenge: bytes | None) -> SecurityKey | None:
    """The user's key that signed this challenge, its counter moved on; None if it did not."""
    if body is None or challenge is None:
        return None
    key = SecurityKey.objects.filter(user=user, credential_id=str(body.get("id") or "")).first()
    if key is None:
        return None
    try:
        verified = webauthn.verify_authentication_response(
            credential=body,
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=expected_origin(request),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except BROKEN_CREDENTIAL:
        return None
    key.sign_count, key.last_used_at = verified.new_sign_count, timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return key
