"""DRS (Django Remote Submission) as a package a Django project installs.

A host project adds `*drs.INSTALLED_APPS` to its INSTALLED_APPS, `path("drs/",
include("drs.urls"))` to its URLconf and `drs.routing.websocket_urlpatterns` to its ASGI
router; `drs.api` is the typed interface for its own code and `drs.signals` tells it when
jobs start and end. Importing this package imports no Django model: a settings module
can read `drs.INSTALLED_APPS`."""

from __future__ import annotations

__version__ = "0.1.0"

# DRS's apps and the third-party apps they need, after the host's django.contrib apps
# (auth, contenttypes, sessions; admin and staticfiles for their pages). "drs" comes
# first: it fills in DRS's settings (drs/conf.py) before django_q reads Q_CLUSTER.
INSTALLED_APPS: list[str] = [
    "drs",
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
