"""DRS's HTTP routes, for `include("drs.urls")` under any prefix: the REST API under
`api/` (with its schema and Swagger UI) and the Prometheus metrics at `metrics`.

The route names are global (no namespace), as DRS's serializers and views reverse them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from drs.applications.api import JobViewSet
from drs.conf import SPECTACULAR_SETTINGS
from drs.credentials.api import CredentialViewSet
from drs.jobs.api import JobLogTextView
from drs.notifications import urls as notification_urls
from drs.ops import views as ops
from drs.schedules import urls as schedule_urls
from drs.servers.api import InterpreterViewSet, ServerViewSet
from drs.tokens import auth_api
from drs.tokens.api import TokenViewSet

# DRS's schema settings for its schema views (SERVE_* can only be class attributes).
SCHEMA_SETTINGS = {k: v for k, v in SPECTACULAR_SETTINGS.items() if not k.startswith("SERVE_")}


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI from DRS's own schema settings (the bundled UI), not the host's."""

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with patched_settings(SCHEMA_SETTINGS):
            return super().get(request, *args, **kwargs)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("servers", ServerViewSet, basename="server")
router.register("interpreters", InterpreterViewSet, basename="interpreter")
router.register("credentials", CredentialViewSet, basename="credential")
router.register("jobs", JobViewSet, basename="job")
router.register("auth/tokens", TokenViewSet, basename="token")
notification_urls.register(router)
schedule_urls.register(router)

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/login/", auth_api.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth_api.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", auth_api.MeView.as_view(), name="auth-me"),
    path("auth/token/", auth_api.TokenView.as_view(), name="auth-token"),
    path("health/", ops.health_view, name="health"),
    path(
        "schema/",
        SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS),
        name="schema",
    ),
    path("docs/", SwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("jobs/<uuid:pk>/log.txt", JobLogTextView.as_view(), name="job-log-text"),
    *notification_urls.urlpatterns,
    path("", include(router.urls)),
    path("", include("drs.files.urls")),
    path("", include("drs.applications.urls")),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", include(api_urlpatterns)),
    path("metrics", ops.metrics_view, name="metrics"),
]
