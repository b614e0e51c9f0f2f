from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from drs.applications.api import JobViewSet
from drs.common.spa import spa_index
from drs.credentials.api import CredentialViewSet
from drs.jobs.api import JobLogTextView
from drs.notifications import urls as notification_urls
from drs.ops import views as ops
from drs.schedules import urls as schedule_urls
from drs.servers.api import InterpreterViewSet, ServerViewSet
from drs.tokens import auth_api
from drs.tokens.api import TokenViewSet

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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("jobs/<uuid:pk>/log.txt", JobLogTextView.as_view(), name="job-log-text"),
    *notification_urls.urlpatterns,
    path("", include(router.urls)),
    path("", include("drs.files.urls")),
    path("", include("drs.applications.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("metrics", ops.metrics_view, name="metrics"),
    # Everything else that is not an API, admin or static path is a client route of the SPA.
    re_path(r"^(?!api/|admin/|static/|ws/|media/)(?P<path>.*)$", spa_index, name="spa"),
]
