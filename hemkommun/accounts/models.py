"""Sign-in records: attempts (for lock-out and the admin), sessions (for sign-out everywhere) and
the second factors (TOTP authenticator apps, recovery codes, WebAuthn security keys)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.fields import EncryptedCharField


class SignInAttempt(models.Model):
    """One try at a step of signing in. Failures lock the user name and the address out for a while
    (accounts.lockout); successes end the count for the user name. Kept for the administrator."""

    class Stage(models.TextChoices):
        PASSWORD = "password", _("Password")
        SECOND_FACTOR = "second_factor", _("Second factor")

    class Outcome(models.TextChoices):
        FAILED = "failed", _("Failed")
        LOCKED = "locked", _("Refused: locked out")
        SUCCEEDED = "succeeded", _("Succeeded")

    at = models.DateTimeField(_("time"), default=timezone.now)
    # As typed (case folded), so that names that do not exist are counted and locked the same way.
    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    stage = models.CharField(_("step"), max_length=20, choices=Stage.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="signin_attempt_user_at"),
            models.Index(fields=["ip", "at"], name="signin_attempt_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.ip} {self.outcome}"


class UserSession(models.Model):
    """A session opened by a sign-in, so that all of a user's sessions can be ended at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("staff member"),
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=40)
    mfa = models.BooleanField(_("second factor passed"), default=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238). The secret must be readable to check codes, so it is not
    hashed but encrypted at rest (docs/encryption.md): a copy of the table must not let anyone
    make codes. ``last_step`` refuses a code used once from being used again within its window."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = EncryptedCharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost; only a keyed hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class SecurityKey(models.Model):
    """A WebAuthn credential: a security key or a passkey."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_keys")
    name = models.CharField(_("name"), max_length=100)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, as the browser gives it
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name
