"""A rate limit per API token (settings.API_RATE, docs/api.md). A request over the limit is
answered 429 in the API's one error shape with Retry-After (hemkommun.api.errors).

The counts live in Django's cache: with the default per-process memory cache each worker process
counts on its own, so production sets CACHE_URL to a shared cache (docs/security.md)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        # Read when the throttle is made, not when DRF's settings were first loaded.
        return settings.API_RATE

    def get_cache_key(self, request, view) -> str | None:
        """The token's key hash: unique to one issued key, so a revoked and reissued token (or a
        reused row id) starts afresh. Requests without a token are not throttled here: the
        protected endpoints refuse them before throttling, the schema and docs are static."""
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}
