"""The one settings module of Hemkommun; every variable is documented in the README."""

import re
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "hemkommun"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    DEMO_PASSWORD=(str, "demo"),
)
# A local .env (made by `make run`, never committed) may set DEBUG and the rest for development.
environ.Env.read_env(BASE_DIR / ".env")


def _secret(name: str, debug_default: str | None = None) -> str:
    """A secret from NAME or the file named by NAME_FILE; only DEBUG may fall back to a default."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        return Path(file_name).read_text().strip()
    if DEBUG and debug_default is not None:
        return env.str(name, default=debug_default)
    return env.str(name)


DEBUG = env.bool("DEBUG")
SECRET_KEY = _secret("SECRET_KEY", debug_default="insecure-development-key-only-for-debug")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEMO_PASSWORD = env.str("DEMO_PASSWORD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "auditlog",
    "django_q",
    "hemkommun.core",
    "hemkommun.organizations",
    "hemkommun.access",
    "hemkommun.clients",
    "hemkommun.casework",
    "hemkommun.reception",
    "hemkommun.compensation",
    "hemkommun.programme",
    "hemkommun.exports",
    "hemkommun.reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hemkommun.api",
    "hemkommun.webhooks",
    "hemkommun.exchange",
    "hemkommun.sso",
    "hemkommun.audit",
    "hemkommun.retention",
    "hemkommun.subject_access",
    "hemkommun.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hemkommun.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hemkommun.accounts.middleware.SessionIdleMiddleware",
    "hemkommun.accounts.middleware.MfaEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "hemkommun.config.urls"
WSGI_APPLICATION = "hemkommun.config.wsgi.application"
AUTH_USER_MODEL = "organizations.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The default SQLite file, built assets and collected static files live under var/.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'hemkommun.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; the busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering name-token index is for PostgreSQL; SQLite builds it without the extra column.
SILENCED_SYSTEM_CHECKS = [
    "models.W040",
    # HSTS preloading is decided for a registrable domain (the municipality's), not by one
    # service on it: SECURE_HSTS_PRELOAD stays an operator's choice (docs/security.md).
    "security.W021",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Sessions are kept in the database (Django's default), so that sign-out everywhere can end them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Signed out after this many minutes without a request (SESSION_COOKIE_AGE is the absolute limit).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# Lock-out (docs/sign-in.md): this many failures of one user name, or of one address, within the
# window lock it for SIGNIN_LOCKOUT_MINUTES. An office behind one address gets more room.
SIGNIN_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_IP_FAILURE_LIMIT = env.int("SIGNIN_IP_FAILURE_LIMIT", default=20)
SIGNIN_FAILURE_WINDOW_MINUTES = env.int("SIGNIN_FAILURE_WINDOW_MINUTES", default=15)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
# Seconds between a right password and the second factor before signing in starts over.
MFA_PENDING_SECONDS = env.int("MFA_PENDING_SECONDS", default=300)
# WebAuthn relying party: the host name security keys are bound to (default: the request's host).
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Lax: a link from an e-mail (a deadline reminder) still arrives signed in; a form posted from
# another site does not carry the cookies.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry {% csrf_token %} and htmx sends the token from
# hx-headers on <body> in base.html.
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# HTTPS (docs/security.md). Off by default so that development and the tests run over http; the
# production variables in the README turn them on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a reverse proxy that ends TLS, e.g. "HTTP_X_FORWARDED_PROTO,https".
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER"))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (hemkommun.core.security; docs/security.md): no inline script or style
# anywhere, everything from our own static files. data: images are Bootstrap's SVG icons in CSS.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Redoc (the API documentation) writes its styles into <style> elements as it renders and
# searches in a blob: worker; only its page gets these directives on top of the strict policy.
CONTENT_SECURITY_POLICY_RELAXED_PATHS = ["/api/v1/docs/"]
CONTENT_SECURITY_POLICY_RELAXED = {
    "style-src": ["'self'", "'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}
# Nothing in Hemkommun uses these browser features; a page that is made to ask for them cannot.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor", BASE_DIR / "var" / "vendor")]
MEDIA_ROOT = BASE_DIR / "var" / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# Background jobs (deadline reminders) run in django-q2's cluster (`manage.py qcluster`) with the
# database as broker, so SQLite and PostgreSQL installations need nothing more. Q_SYNC runs jobs
# at once in the calling process (tests).
Q_CLUSTER = {
    "name": "hemkommun",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=1),
    "timeout": 600,
    "retry": 900,
    "catch_up": False,
    "sync": env.bool("Q_SYNC", default=False),
}
# Reminder e-mails: e.g. smtp://user:pass@mail.example.fi:587 ; the console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hemkommun@localhost")
# The address in links of e-mails sent by background jobs, which have no request to take it from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Webhooks go to public https addresses only; these allow http and internal addresses (tests, development).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)

# Encryption at rest of identity codes and health data (docs/encryption.md): keys of 32 random
# bytes in URL-safe base64, comma-separated; the first encrypts, every one listed decrypts. The
# blind index of identity codes has a key of its own. The defaults serve DEBUG only.
FIELD_ENCRYPTION_KEYS = [
    key
    for key in re.split(
        r"[,\s]+",
        _secret("FIELD_ENCRYPTION_KEYS", debug_default="ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMDAwMDA="),
    )
    if key
]
BLIND_INDEX_KEY = _secret("BLIND_INDEX_KEY", debug_default="ZGV2ZWxvcG1lbnQtb25seS1ibGluZC1pbmRleC0wMDA=")

# Identity codes are masked completely in the write log, never partly.
AUDITLOG_MASK_CALLABLE = "hemkommun.core.audit.mask_completely"
# The key of the audit chain's HMAC digests (docs/audit.md): kept apart from the database, since
# whoever holds both could rewrite the logs and seal them again.
AUDIT_CHAIN_KEY = _secret("AUDIT_CHAIN_KEY", debug_default="insecure-audit-chain-key-only-for-debug")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}


# The API (/api/v1/): tokens of integrations only, codes and one error shape (docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["hemkommun.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hemkommun.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["hemkommun.api.throttling.TokenRateThrottle"],
}
# Requests per token, e.g. "600/min" (s, min, h, day); over it the API answers 429 with Retry-After.
API_RATE = env.str("API_RATE", default="600/min")
# The rate limits' counts are kept in the cache. The default memory cache is per process, so with
# several worker processes each counts apart; production sets a shared one, e.g.
# CACHE_URL=dbcache://hemkommun_cache after `manage.py createcachetable` (docs/security.md).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hemkommun API",
    "VERSION": "1",
    "DESCRIPTION": "Clients and the integration work of Finnish municipalities. See docs/api.md.",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; each keeps its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "hemkommun.casework.models.Assessment.Status",
        "PlanStatusEnum": "hemkommun.casework.models.IntegrationPlan.Status",
        "PlanMeasureStatusEnum": "hemkommun.casework.models.PlanMeasure.Status",
        "ReferralStatusEnum": "hemkommun.casework.models.Referral.Status",
        "ArrivalStatusEnum": "hemkommun.reception.models.ArrivalGroup.Status",
        "ArrivalTaskStatusEnum": "hemkommun.reception.models.ArrivalTask.Status",
        "LanguageLevelEnum": "hemkommun.clients.codes.LanguageLevel",
        "PartyEnum": "hemkommun.casework.models.Party",
        "SexEnum": "hemkommun.clients.codes.Sex",
    },
}
