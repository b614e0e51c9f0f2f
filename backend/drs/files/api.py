from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from drs.common.pagination import KeysetPagination
from drs.common.renderers import BinaryRenderer
from drs.common.restapi import DrsAPIView, user_rows
from drs.files import services
from drs.files.models import File
from drs.files.selectors import file_list
from drs.files.serializers import FileSerializer, FileUploadSerializer
from drs.files.uploads import (
    HashingUploadHandler,
    PartialUpload,
    UploadTooLarge,
    body_limit,
    declared_length,
)


class FileViewSet(
    DrsAPIView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[File],
):
    serializer_class = FileSerializer
    pagination_class = KeysetPagination
    filter_backends: list[Any] = []
    # Uploads only: this view sets its own body limit (DRS_MAX_UPLOAD_BYTES), far above
    # the one for JSON bodies, and reads the body through its streaming handler.
    parser_classes = [parsers.MultiPartParser]
    max_body_bytes = staticmethod(body_limit)  # common/bodylimit.py: daphne and Django

    def get_queryset(self) -> QuerySet[File]:
        return user_rows(self, File, file_list)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication: the CSRF check of session logins reads the form body,
        # and it must go through the streaming handler like every other read.
        if request.method == "POST" and self.action == "create":
            length = declared_length(request.META)
            if length is not None and length > body_limit():
                raise UploadTooLarge(settings.DRS_MAX_UPLOAD_BYTES)
            request._request.upload_handlers = [
                HashingUploadHandler(request._request, settings.DRS_MAX_UPLOAD_BYTES)
            ]
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": FileUploadSerializer},
        responses={
            201: FileSerializer,
            413: OpenApiResponse(description="Larger than DRS_MAX_UPLOAD_BYTES."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload a file (multipart field `file`, optional `name`): streamed to storage and
        hashed on the way; over DRS_MAX_UPLOAD_BYTES → 413."""
        uploads = request.FILES.getlist("file")
        if len(uploads) != 1 or not isinstance(uploads[0], PartialUpload):
            raise ValidationError({"file": ["Send exactly one file in the field `file`."]})
        extra = [key for key in request.FILES if key != "file"]
        if extra:
            raise ValidationError({extra[0]: ["Only the field `file` may hold a file."]})
        name = request.data.get("name", "")
        if not isinstance(name, str) or len(name) > 255:
            raise ValidationError({"name": ["A name of at most 255 characters."]})
        file = services.file_create(owner=request.user, upload=uploads[0], name=name)
        return Response(FileSerializer(file).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, 409: OpenApiResponse(description="Jobs use it as an input.")}
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete the file; refused (409) while jobs use it as an input."""
        services.file_delete(file=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        operation_id="files_download",
    )
    @action(detail=True, methods=["get"], renderer_classes=[BinaryRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The exact bytes uploaded, streamed."""
        file = self.get_object()
        return FileResponse(
            file.blob.open("rb"),
            as_attachment=True,
            filename=file.name,
            content_type="application/octet-stream",
        )
