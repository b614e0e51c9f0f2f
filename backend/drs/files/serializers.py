from __future__ import annotations

from typing import Any

from rest_framework import serializers

from drs.files.models import File


class FileSerializer(serializers.ModelSerializer[File]):
    owner = serializers.CharField(source="owner.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = File
        fields = ["id", "name", "size", "sha256", "created_at", "owner", "download_url"]
        read_only_fields = fields

    def get_download_url(self, file: File) -> str:
        return f"/api/files/{file.pk}/download/"


class FileUploadSerializer(serializers.Serializer[Any]):
    """Documents the multipart body; the view reads the streamed upload itself."""

    file = serializers.FileField(help_text="The bytes to store.")
    name = serializers.CharField(
        max_length=255, required=False, help_text="Defaults to the uploaded file's name."
    )
