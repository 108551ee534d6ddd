"""Settings for Kom Videre: one module, configured from the environment.

Every variable is documented in README.md with its default. Defaults are safe for local
development; with DJANGO_DEBUG off the start fails unless a secret key and allowed hosts are set.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import environ
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see README.md)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if DEBUG:
        ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
    else:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off (see README.md)."
        )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "taggit",
    "simple_history",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "komvidere",
    "accounts",
    "cases",
    "dilemmas",
    "articles",
    "portal",
]

MIDDLEWARE = [
    # First: a request id for the logs, bad bytes refused before anything reads the path, and
    # database or Redis outages answered with a short 503 page (komvidere/faults.py).
    "komvidere.faults.RequestIdMiddleware",
    "komvidere.faults.BadBytesMiddleware",
    "komvidere.faults.OutageMiddleware",
    # Compresses HTML last, after everything that writes the body. BREACH: Django's gzip adds
    # random bytes to each response and CSRF tokens are masked per response (Django docs).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "komvidere.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "komvidere.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "komvidere.forms.FormRenderer"
# A URL typed without a scheme is https:// (Django 6 default).
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "komvidere.context_processors.site",
                "accounts.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache and sessions -----------------------------------------------------------------------
# Rate limits (allauth's and ours) live in the cache. With several workers or app instances the
# cache must be shared: Redis when REDIS_URL is set, otherwise the database cache table.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis is an empty cache, not an error
            # page (komvidere/cache.py); /health/ still reports it.
            "BACKEND": "komvidere.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "komvidere",
            # A hanging Redis costs at most this per call, never seconds (RECIPES).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "health_check_interval": 30,
            },
        }
    }
    # Sessions are written to the database and read from Redis first (komvidere.sessions):
    # while Redis is down, members stay logged in from the database.
    SESSION_ENGINE = "komvidere.sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "komvidere_cache",
            # Cached pages and fragments are kept until a new version makes them unread; past
            # this many entries the oldest third by key goes (Django's default, 300, would
            # throw the versions away with the pages every few minutes).
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "50000"))},
        }
    }

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kom Videre] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if SITE_URL.startswith("http://") else "https"
# Failed logins count per account first: once an account is locked, further guesses at it
# stop counting against the network address, so hammering one account cannot lock out the
# town hall behind a shared address. The per-address ceiling only stops guessing at many
# accounts; a correct password rolls its attempt back and never adds to it.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,100/5m/ip",
    # Every login attempt from one address, per minute: room for a town hall at 8 o'clock.
    "login": "300/m/ip",
    "signup": "20/h/ip",
}
# A new member lands on the short welcome (sectors and themes) after sign-up and confirmation.
ACCOUNT_SIGNUP_REDIRECT_URL = "/welcome/"
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kom Videre"

# Single sign-on: one OpenID Connect provider from the environment (README, "Single sign-on");
# more can be added as social applications in the admin. Sign-up through it follows the same
# domain rules as the form (accounts.adapter.SocialAccountAdapter).
OIDC_PROVIDER_ID = os.environ.get("OIDC_PROVIDER_ID", "") or "entra"
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "") or "Microsoft Entra ID"
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # The organisation's identity provider vouches for its staff's addresses; an
        # account with the same verified address is the same person and is connected.
        "VERIFIED_EMAIL": True,
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": OIDC_PROVIDER_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL and OIDC_CLIENT_ID
        else [],
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
# Tokens are not needed after login: the portal calls no API of the provider.
SOCIALACCOUNT_STORE_TOKENS = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Local runs serve from the app folders without collectstatic; production from the
        # hashed, compressed files collectstatic made.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Local runs serve static files from the app folders, without collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG

# S3-compatible object storage for uploads when S3_BUCKET is set (ARCHITECTURE §5). Files stay
# private: members download them through the permission-checked views, which stream them.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kom Videre <noreply@komvidere.dk>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# EMAIL_URL (smtp://user:password@host:587, smtp+tls://..., smtp+ssl://..., consolemail://)
# or the separate SMTP variables; without either, mail is printed to the console.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_URL = os.environ.get("EMAIL_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_URL:
    globals().update(environ.Env.email_url_config(EMAIL_URL))
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

oidc_origin = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(OIDC_SERVER_URL))] if OIDC_SERVER_URL else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The allow-listed players of podcast and video articles (articles/embeds.py).
        "frame-src": [
            SELF,
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://open.spotify.com",
        ],
        "frame-ancestors": ["'none'"],
        # The login form's redirect to the single sign-on provider is a form action too.
        "form-action": [SELF, *oidc_origin],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- Background tasks ---------------------------------------------------------------------------
# TASKS_BACKEND: "immediate" (default: tasks run at once, in-process, as `make run` and the
# tests want), "database" (a queue in PostgreSQL, run by `manage.py db_worker`; compose.yaml)
# or "rq" (Redis-backed workers with django-tasks-rq; README, Operations).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower() or "immediate"
_task_backends = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_task_backends)} (see README.md)."
    )
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- Logging and error reporting ----------------------------------------------------------------
# LOG_FORMAT=json: one JSON object a line with the request id (X-Request-ID, or a new one).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "komvidere.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "komvidere.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# ADMINS ("Name <address>, ..."): e-mailed on server errors when SENTRY_DSN is not set.
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">").strip())
    for address in env_list("DJANGO_ADMINS")
]
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Revisions are shown in the admin's history, never restored from there: a restore would
# write around the services (search, counters and notifications would not follow).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Tags are case-insensitive: "dk2020" typed by one member reuses the existing "DK2020", so a tag
# has one canonical form (the first spelling). Migration komvidere 0009 merged older duplicates.
TAGGIT_CASE_INSENSITIVE = True

# Posting limit for dilemmas and replies, per user: "<count>/<window>" (s, m, h, d).
DILEMMAS_POST_RATE = os.environ.get("DILEMMAS_POST_RATE", "10/10m")

ADMIN_CONTACT_EMAIL = os.environ.get("KOMVIDERE_CONTACT_EMAIL", "support@komvidere.dk")

# The public authority responsible for the service: named in every page's footer and in the
# accessibility statement (the law requires written and phone contact).
SERVICE_OWNER_NAME = os.environ.get("SERVICE_OWNER_NAME", "KL – Kommunernes Landsforening")
SERVICE_OWNER_ADDRESS = os.environ.get(
    "SERVICE_OWNER_ADDRESS", "Weidekampsgade 10, 2300 København S"
)
SERVICE_OWNER_PHONE = os.environ.get("SERVICE_OWNER_PHONE", "+45 3370 3370")
SERVICE_OWNER_EMAIL = os.environ.get("SERVICE_OWNER_EMAIL", ADMIN_CONTACT_EMAIL)
SERVICE_OWNER_URL = os.environ.get("SERVICE_OWNER_URL", "")
# The statement published through Digitaliseringsstyrelsen's WAS-Tool; when empty, the footer
# links to the portal's own statement at /accessibility/.
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "")
# When the portal's own statement was last reviewed (YYYY-MM-DD); the law asks for once a year.
ACCESSIBILITY_STATEMENT_DATE = os.environ.get("ACCESSIBILITY_STATEMENT_DATE", "2026-12-02")
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
