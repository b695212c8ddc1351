"""Organisations' OpenID Connect identity providers and the staff accounts linked to them.

One installation serves a region, and each organisation may sign its staff in through its own
identity provider (tunnistuspalvelu/identitetsleverantör): Microsoft Entra ID, Keycloak or another.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.organizations.models import Organisation, User


class MatchClaim(models.TextChoices):
    """The claim compared, case-insensitively, with the staff member's e-mail address."""

    EMAIL = "email", _("E-mail address (only when the provider marks it verified)")
    PREFERRED_USERNAME = "preferred_username", _("Preferred user name (e.g. Entra ID's user principal name)")
    UPN = "upn", _("User principal name (upn)")


class IdentityProvider(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown on the button of the sign-in page.")
    )
    slug = models.SlugField(_("code"), unique=True, help_text=_("Part of the redirect address."))
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_("The issuer exactly as the provider names it; its discovery document is read from here."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    # The secret itself is never stored in the database (backups, the admin, the change log): this
    # names the environment variable holding it, or NAME_FILE naming a file, as for SECRET_KEY.
    client_secret_env = models.CharField(
        _("environment variable of the client secret"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Use capital letters, digits and underscores."))],
        help_text=_("Empty for a public client, which is protected by PKCE only."),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    match_claim = models.CharField(
        _("claim identifying the staff member"),
        max_length=30,
        choices=MatchClaim.choices,
        default=MatchClaim.EMAIL,
    )
    enforces_mfa = models.BooleanField(
        _("provider enforces multi-factor authentication"),
        default=False,
        help_text=_("Tick only when the provider's policy requires a second factor for this client."),
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="identity_providers", verbose_name=_("organisations served")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Codes and tokens must not cross the network in the clear; a provider on this very
        # machine (development, the tests) is the one exception.
        address = urlsplit(self.issuer or "")
        if address.scheme != "https" and address.hostname not in ("localhost", "127.0.0.1", "::1"):
            raise ValidationError(
                {"issuer": _("The issuer must be an https:// address.")}, code="issuer_not_https"
            )


class ExternalIdentity(models.Model):
    """A staff account linked to a provider's subject at its first sign-in; later sign-ins use it."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("identity provider"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("staff member")
    )
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked sign-in")
        verbose_name_plural = _("linked sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="sso_identity_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.provider}"
