"""Settings for the Protocol Registry, read from the environment.

Defaults are safe for trying the registry out on one machine only: SQLite, DEBUG on,
a throwaway secret key. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=false.
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-only-key-change-me")
if not DEBUG and (SECRET_KEY.startswith("insecure") or "change-me" in SECRET_KEY or len(SECRET_KEY) < 40):
    raise RuntimeError("Set SECRET_KEY (at least 40 random characters) when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address links in PDFs, feeds and emails use. Empty: each request's own address (emails sent by a
# management command then need it set).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "boards",
    "protocols",
    "accountability",
    "accounts",
]

MIDDLEWARE = [
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sealed PDFs, and every cached page for readers who are not signed in, answered before the rest.
    "protocols.middleware.FastReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivateWhenSignedInMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"


# An area's and a board's pages show what every app records about them, so accountability (built on
# the others) serves them; boards, which defines the models, does not know where their pages are.
def _page_of(viewname):
    def url(record):
        from core.addresses import page_path  # imported when first asked: settings load before the apps

        return page_path(viewname, slug=record.slug)

    return url


ABSOLUTE_URL_OVERRIDES = {
    "boards.area": _page_of("accountability:area_detail"),
    "boards.board": _page_of("accountability:board_detail"),
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Content-Security-Policy: scripts and styles only from the registry's own files (no inline code),
# images also as data: URIs (signature pad, diagrams), nothing framed and no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection is checked before reuse, so a database restart costs no request a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two processes write to it (the web server and the PDF worker): each transaction takes the write lock as it
    # begins, waiting for it, instead of failing with "database is locked" when it turns from reading to writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, both sign-in forms (the site's and the admin's) refuse that pair until the cool-off ends.
AUTHENTICATION_BACKENDS = [
    "core.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The lockout page in the browser; under /api/ (the token endpoint) the same lock in the API's error shape.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours
INVITATION_TIMEOUT = 60 * 60 * 24 * 7  # an invitation's link to choose a password works for a week

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "protocols:home"
LOGOUT_REDIRECT_URL = "protocols:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media (signature images, sealed PDFs) may live in any Django storage backend, so that several web
# instances can share it: e.g. MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage (the "s3" extra)
# with MEDIA_STORAGE_OPTIONS='{"bucket_name": "registry-media", "endpoint_url": "https://..."}'.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Source maps (6.6 MB, nearly all of them the API docs' Swagger UI and ReDoc bundles) are fetched only by a
# browser's developer tools; compressing them was half of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registry@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Uploads (signature images, PDFs to verify) are small; refuse anything large early. A whole request
# body may be at most MAX_REQUEST_BYTES (a PDF to verify, 10 MB, and the form around it); form fields
# and JSON bodies at most DATA_UPLOAD_MAX_MEMORY_SIZE (a drawn signature is the largest); uploads
# above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory.
MAX_REQUEST_BYTES = 11 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# An imported PDF of more pages than this is read in the background while its page shows progress.
IMPORT_BACKGROUND_PAGES = int(os.environ.get("IMPORT_BACKGROUND_PAGES", "40"))
# How many proxies in front append to X-Forwarded-For (0: none; clients are told apart by REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sealing signed PDFs: a PEM key and certificate. When unset the registry makes a
# self-signed pair under MEDIA_ROOT at first use (fine for trying it out, not for production).
# Personal signing links (issue 17): how long a link lasts, how long the emailed code lasts, how many
# wrong codes a link takes before it needs a new code, and after how many days a reminder goes out.
SIGNING_LINK_DAYS = int(os.environ.get("SIGNING_LINK_DAYS", "14"))
SIGNING_CODE_MINUTES = int(os.environ.get("SIGNING_CODE_MINUTES", "30"))
SIGNING_CODE_ATTEMPTS = int(os.environ.get("SIGNING_CODE_ATTEMPTS", "5"))
SIGNING_REMINDER_DAYS = int(os.environ.get("SIGNING_REMINDER_DAYS", "5"))
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")
SIGNING_CERT_FILE = os.environ.get("SIGNING_CERT_FILE", "")
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
# Certificates (PEM) of keys the registry sealed with before the current one: /verify/ still accepts
# PDFs sealed with them after a key rotation. Comma-separated paths.
SIGNING_PREVIOUS_CERT_FILES = env_list("SIGNING_PREVIOUS_CERT_FILES")

REVIEW_WARNING_DAYS = int(os.environ.get("REVIEW_WARNING_DAYS", "60"))

REST_FRAMEWORK = {
    # Token first, so an unauthenticated API call gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Named tokens (hashed) and the single token an administrator issues in the admin.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.RegistryAutoSchema",
    "DEFAULT_PARSER_CLASSES": ["core.api.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Protocol Registry API",
    "DESCRIPTION": "Protocols between statutory boards: parties, clauses, duties, "
    "reporting obligations and accountability relations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "boards.models.Area.Kind",
        "BoardKindEnum": "boards.models.Board.Kind",
        "PostKindEnum": "boards.models.Post.Kind",
        "DatePrecisionEnum": "boards.models.DatePrecision",
        "SectionKindEnum": "protocols.models.Section.Kind",
        "DutyKindEnum": "accountability.models.Duty.Kind",
        "RelationKindEnum": "accountability.models.Relation.Kind",
        "LegalInstrumentKindEnum": "accountability.models.LegalInstrument.Kind",
        "FrequencyEnum": "accountability.models.Frequency",
        "VersionStatusEnum": "protocols.models.ProtocolVersion.Status",
        "PastVersionStatusEnum": "protocols.serializers.PAST_VERSION_STATUS_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (django-tasks): queued in the database and run by `manage.py db_worker`, the second process
# of `make run` and docker-compose's `worker` service. Agreeing a version queues the drawing and sealing of its
# PDF (protocols.tasks). Without a worker the jobs wait and readers' downloads draw the PDF themselves.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Shared by every web instance: set CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache and
# CACHE_LOCATION=registry_cache (then `manage.py createcachetable`) when more than one instance runs.
# The cache keeps counters (checks per client at /verify/) and the pages of agreed versions (protocols.page_cache).
# CACHE_URL=redis://host:6379/0 shares one Redis among all processes (docker-compose.yml); otherwise
# CACHE_BACKEND/CACHE_LOCATION, by default each process's own memory, which needs no server: cached pages
# are keyed by the database's change counter, so a process never serves a page another one made stale.
if os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
    # Sessions read from the shared cache, written through to the database: a signed-in request costs one
    # query less. Never with each process's own memory, where a session ended in one process (signing
    # out) would live on in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
            "LOCATION": os.environ.get("CACHE_LOCATION", "registry"),
            # Django's default of 300 entries is about a hundred pages: each read without a session keeps
            # its body, the whole response and which counters its address follows (core.page_cache).
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "3000"))},
        }
    }

# HTTPS. On by default when DEBUG is off; a deployment that is reached over plain HTTP on purpose
# (a local trial) turns them off with SECURE_COOKIES=false, SECURE_SSL_REDIRECT=false, SECURE_HSTS_SECONDS=0.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is a commitment for the whole domain, so the operator opts in.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
