"""The REST framework policy every DRS view carries itself (authentication, permissions,
parsers, pagination, filters, exception handler, schema), from `drs.conf.REST_FRAMEWORK`,
so DRS behaves the same in any host project whatever its own REST_FRAMEWORK says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db.models import Model, QuerySet
from drf_spectacular.openapi import AutoSchema
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import DEFAULTS, IMPORT_STRINGS, APISettings
from rest_framework.views import APIView

from drs.conf import REST_FRAMEWORK

drs_api_settings = APISettings(cast(Any, REST_FRAMEWORK), DEFAULTS, IMPORT_STRINGS)


# The first base of every DRS view and viewset (`class JobViewSet(DrsAPIView, ...,
# GenericViewSet)`): its defaults come before DRF's, which follow the host's settings. A
# view still sets its own where it differs (`permission_classes = ...`). No docstring: a
# view's docstring is its operations' description in the schema.
class DrsAPIView(APIView):
    settings = drs_api_settings  # the exception handler, content negotiation, view names
    authentication_classes = drs_api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = drs_api_settings.DEFAULT_PERMISSION_CLASSES
    parser_classes = drs_api_settings.DEFAULT_PARSER_CLASSES
    renderer_classes = drs_api_settings.DEFAULT_RENDERER_CLASSES
    throttle_classes = drs_api_settings.DEFAULT_THROTTLE_CLASSES
    content_negotiation_class = drs_api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS
    metadata_class = drs_api_settings.DEFAULT_METADATA_CLASS
    versioning_class = drs_api_settings.DEFAULT_VERSIONING_CLASS
    schema = AutoSchema()
    # GenericAPIView's, for the viewsets.
    pagination_class: Any = drs_api_settings.DEFAULT_PAGINATION_CLASS
    filter_backends: Any = drs_api_settings.DEFAULT_FILTER_BACKENDS


M = TypeVar("M", bound=Model)


def user_rows(view: APIView, model: type[M], select: Callable[..., QuerySet[M]]) -> QuerySet[M]:
    """A viewset's queryset: what `select(user=...)` (the app's selector) lets the requesting
    user see; none during schema generation, which has no user."""
    if getattr(view, "swagger_fake_view", False):
        return model._default_manager.none()
    return select(user=view.request.user)


def query_params(request: Request, serializer_class: type[BaseSerializer[Any]]) -> dict[str, Any]:
    """The request's query string, validated by SERIALIZER_CLASS (a 400 names the field)."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)
