"""DRS's own site: the package's routes at the root (API under /api/, /metrics), the
admin, and the SPA for every other path."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from drs.common.spa import spa_index

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("drs.urls")),
    # Everything else that is not an API, admin or static path is a client route of the SPA.
    re_path(r"^(?!api/|admin/|static/|ws/|media/)(?P<path>.*)$", spa_index, name="spa"),
]
