"""The REST framework policy every DRS view carries itself (authentication, permissions,
parsers, pagination, filters, exception handler, schema), from `drs.conf.REST_FRAMEWORK`,
so DRS behaves the same in any host project whatever its own REST_FRAMEWORK says."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.openapi import AutoSchema
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
