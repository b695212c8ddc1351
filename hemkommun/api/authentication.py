"""`Authorization: Bearer <token>`: the token's staff account becomes the request's user."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Bearer."))
        token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(header[1])).first()
        if token is None or not token.in_force or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is unknown, revoked or expired."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not a 403) with the way to authenticate, as RFC 6750 asks.
        return f'{self.keyword} realm="api"'
