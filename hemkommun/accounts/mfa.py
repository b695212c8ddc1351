"""Second factors: TOTP codes of an authenticator app (RFC 6238, with pyotp) and recovery codes.

pyotp rather than django-otp: the sign-in flow (a pending step, lock-out counting, the session
marker) is our own either way, and django-otp would add its own device models, admin and
middleware to reconcile with it; pyotp is only the algorithm, which is all that is needed.
"""

import secrets

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import RecoveryCode, SecurityKey, TotpDevice

ISSUER = "Hemkommun"
TOTP_INTERVAL = 30
# A code of the step before or after is accepted too: phone clocks drift.
TOTP_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper. 10 characters of 31 carry about 49 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


def has_second_factor(user) -> bool:
    return TotpDevice.objects.filter(user=user).exists() or SecurityKey.objects.filter(user=user).exists()


# --- TOTP ------------------------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32(length=32)  # 160 bits, as RFC 4226 recommends


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret, interval=TOTP_INTERVAL).provisioning_uri(
        name=user.get_username(), issuer_name=ISSUER
    )


def qr_code_svg(uri: str, title: str) -> str:
    """The otpauth address as an inline SVG (presentation attributes only, no style: CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title=title, svgclass="hk-qr")


def _code_only(code: str) -> str:
    return "".join(character for character in code or "" if not character.isspace())


def matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is, within the drift allowed; None if none matches."""
    code = _code_only(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    now_step = int(timezone.now().timestamp()) // TOTP_INTERVAL
    for step in range(now_step - TOTP_DRIFT_STEPS, now_step + TOTP_DRIFT_STEPS + 1):
        if constant_time_compare(totp.at(step * TOTP_INTERVAL), code):
            return step
    return None


def verify_totp(user, code: str) -> bool:
    """A right code not used before: the step is claimed in one update, so a code seen over a
    shoulder (or sent twice at once) does not work a second time (RFC 6238, 5.2)."""
    device = TotpDevice.objects.filter(user=user).first()
    step = matching_step(device.secret, code) if device else None
    if step is None:
        return False
    unused = TotpDevice.objects.filter(pk=device.pk).exclude(last_step__gte=step)
    return unused.update(last_step=step) == 1


def enrol_totp(user, secret: str, code: str) -> bool:
    """Save the authenticator once the user has shown a code from it."""
    step = matching_step(secret, code)
    if step is None:
        return False
    TotpDevice.objects.update_or_create(user=user, defaults={"secret": secret, "last_step": step})
    return True


# --- recovery codes --------------------------------------------------------------------------------


def _digests(code: str) -> list[str]:
    """Keyed hashes of the code under the secret key and its fallbacks. A keyed hash, not argon2:
    the codes are random with ~49 bits, and a hash that is looked up costs one query per try."""
    normalised = "".join(c for c in (code or "").casefold() if c.isalnum())
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac("hemkommun.accounts.recovery", normalised, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def regenerate_recovery_codes(user) -> list[str]:
    """New codes replacing all old ones; the only time they are seen in clear."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digests(code)[0]) for code in codes)
    return codes


def use_recovery_code(user, code: str) -> bool:
    """True once for each code: it is spent in the same update that finds it."""
    unused = RecoveryCode.objects.filter(user=user, digest__in=_digests(code), used_at__isnull=True)
    return unused.update(used_at=timezone.now()) >= 1


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_code(user, code: str) -> str | None:
    """A code typed at the second step: 'totp' or 'recovery_code' for the kind that passed."""
    if verify_totp(user, code):
        return "totp"
    if use_recovery_code(user, code):
        return "recovery_code"
    return None
