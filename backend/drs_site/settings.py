"""DRS's own site (`make run`): a thin Django project on top of the `drs` package.

Every value comes from the environment (docs/configuration.md). DRS's own settings
and their defaults are in `drs/conf.py`, imported below; this module adds what a site
needs: Django's own settings, the database, the SPA and static files, logging."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

import drs
from drs.common.dbpool import pool_options
from drs.common.env import env_bool, env_int, env_list, env_str, random_secret, secret_from_file
from drs.common.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
# The site keeps its data (database, keys, embedded Redis) in var/ at the repository root.
os.environ.setdefault("DRS_DATA_DIR", str(PROJECT_DIR / "var"))

from drs.conf import *  # noqa: E402, F403  (DRS's settings, from the environment)
from drs.conf import DATA_DIR, DRS_EMAIL_FROM, EMAIL, SHARED_CACHE  # noqa: E402

SECRET_KEY = secret_from_file("DRS_SECRET_KEY", DATA_DIR / "secret_key", random_secret)

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
    *drs.INSTALLED_APPS,
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

ROOT_URLCONF = "drs_site.urls"
ASGI_APPLICATION = "drs_site.asgi.application"
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

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": SHARED_CACHE,
}

# --- auth and API ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

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
# Request bodies are bounded per view by BodyLimitMiddleware before they are read;
# Django's own global cap (2.5 MB, an HTML 400) would refuse a program under
# DRS_MAX_PROGRAM_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = None

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# DRS_LOG_FORMAT=json: one JSON object per line, with the job id on every runner line.
LOGGING = logging_config(
    fmt=env_str("DRS_LOG_FORMAT", "plain"), level=env_str("DRS_LOG_LEVEL", "INFO")
)

# Job-end emails (DRS_EMAIL_URL, DRS_EMAIL_FROM): Django's EMAIL_* settings.
globals().update(EMAIL)
if EMAIL:
    DEFAULT_FROM_EMAIL = DRS_EMAIL_FROM or "drs@localhost"
