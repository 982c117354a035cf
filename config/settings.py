"""Settings, all read from the environment (see .env.example for each variable)."""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envfloat, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
# Private state of `make run` / `make test` (database cluster, broker folders): git-ignored.
LOCAL_DIR = Path(os.environ.get("LOCAL_DIR", BASE_DIR / ".local"))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Fail at start-up, not at the first signed cookie.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment "
            "(or DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "django_filters",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "timeline",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "timeline.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
    }
]


def default_database_url() -> str:
    """The private PostgreSQL that `make run` / `make test` start (a Unix socket)."""
    from devenv.postgres import PrivatePostgres

    return PrivatePostgres(LOCAL_DIR / "postgres").url("timeline")


DATABASE_URL = os.environ.get("DATABASE_URL") or default_database_url()
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
# JIT compiling pays off for long analytic queries; these are short, and compiling one
# (over 30 ms) cost more than running it.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
# Parallel test runs on one server (developers, helpers) each take their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; tests and DEBUG serve the plain ones.
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

LOGIN_URL = "admin:login"

# HTTPS hardening. On by default outside DEBUG so `check --deploy` is clean; `make run`
# serves plain http on 127.0.0.1 and turns it off with HTTPS=false.
HTTPS = envbool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Rendered pages and API answers are cached under the timeline's generation counter
# (timeline.caching), so a change is visible at once. CACHE_URL=redis://... shares the
# cache between processes; unset, each process keeps its own in memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 500)},
        }
    )
}
RENDER_CACHE_ALIAS = "default"
RENDER_CACHE_SECONDS = envint("RENDER_CACHE_SECONDS", 600)
# In front of a shared cache, each process also keeps the answers it served last, up to
# this many bytes (exact: the keys carry the generation); an API page is ~100 KB. Without
# CACHE_URL the cache is already in the process: a second copy would only double it.
RENDER_LOCAL_CACHE_BYTES = envint("RENDER_LOCAL_CACHE_BYTES", 16 * 2**20 if CACHE_URL else 0)

# Celery: Redis in production; kombu's filesystem transport needs no server.
BROKER_DIR = LOCAL_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast (pidbox) exchanges; kombu's default is a "control" folder in the cwd.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # Seconds between looks at an empty queue folder (kombu's default, 1 s, idles workers).
        "polling_interval": envfloat("CELERY_POLLING_INTERVAL", 0.1),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
)
# A queue of its own lets test runs and benchmarks share one Redis without stealing tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DIR / "celerybeat-schedule")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["timeline.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Conflict timeline API",
    "DESCRIPTION": "Dated, sourced events merged from news articles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "timeline.models.Event.Status",
        "ArticleStatusEnum": "timeline.models.Article.Status",
    },
}

# Read-only CORS for the public API.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "X-Export-Truncated"]
# Export formats stream every matching event up to this many (a header says when cut).
API_EXPORT_MAX_EVENTS = envint("API_EXPORT_MAX_EVENTS", 100_000)

# The pipeline.
AUTO_PUBLISH_CONFIDENCE = envfloat("AUTO_PUBLISH_CONFIDENCE", 0.5)
FETCH_TIMEOUT = envfloat("FETCH_TIMEOUT", 10.0)
FETCH_MAX_BYTES = envint("FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_MAX_REDIRECTS = envint("FETCH_MAX_REDIRECTS", 5)
FETCH_USER_AGENT = os.environ.get(
    "FETCH_USER_AGENT", "conflict-timeline/1.0 (news timeline ingest bot)"
)
# Hosts or networks (CIDR) that URL fetching may reach although private; tests allow loopback.
FETCH_ALLOW_NETWORKS = envlist("FETCH_ALLOW_NETWORKS")
# Articles per task message: a batch is sent in chunks, each claimed in one statement and
# recorded in one transaction. Bigger chunks share more of the reading of stored events;
# smaller ones spread a small batch over more workers.
INGEST_CHUNK_SIZE = envint("INGEST_CHUNK_SIZE", 100)
# Articles "processing" longer than this were claimed by a dead worker and are re-queued.
STALE_PROCESSING_SECONDS = envint("STALE_PROCESSING_SECONDS", 600)
# How often the periodic re-queue runs and how often a worker checks the lexicon changed.
REQUEUE_INTERVAL_SECONDS = envint("REQUEUE_INTERVAL_SECONDS", 60)
FEED_POLL_CHECK_SECONDS = envint("FEED_POLL_CHECK_SECONDS", 60)
LEXICON_REFRESH_SECONDS = envfloat("LEXICON_REFRESH_SECONDS", 5.0)
# Celery beat (`celery -A config worker --beat`): re-queue what dead workers left, poll feeds.
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-articles": {
        "task": "ingest.tasks.requeue_stale",
        "schedule": float(REQUEUE_INTERVAL_SECONDS),
    },
    "poll-due-feeds": {"task": "ingest.tasks.poll_due_feeds", "schedule": float(FEED_POLL_CHECK_SECONDS)},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
