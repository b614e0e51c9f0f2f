from __future__ import annotations

from typing import Any, NoReturn, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from drs.common.restapi import DrsAPIView, query_params, user_rows
from drs.common.throttles import CredentialGenerateTargetThrottle, CredentialGenerateUserThrottle
from drs.credentials import services
from drs.credentials.models import Credential
from drs.credentials.selectors import credential_list
from drs.credentials.serializers import (
    CredentialDeleteQuerySerializer,
    CredentialGenerateSerializer,
    CredentialSerializer,
)
from drs.servers.serializers import ConflictSerializer


class CredentialViewSet(DrsAPIView, viewsets.ModelViewSet[Credential]):
    serializer_class = CredentialSerializer
    filterset_fields = ["server", "kind"]
    search_fields = ["username", "name"]
    ordering_fields = ["id", "created_at", "username"]

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise exceptions.Throttled(
            wait, detail="Too many password attempts for this account or server; try later."
        )

    def get_queryset(self) -> QuerySet[Credential]:
        return user_rows(self, Credential, credential_list)

    def perform_create(self, serializer: BaseSerializer[Credential]) -> None:
        serializer.instance = services.credential_save(
            credential=Credential(owner=cast(User, self.request.user)),
            data=dict(serializer.validated_data),
        )

    def perform_update(self, serializer: BaseSerializer[Credential]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.credential_save(
            credential=serializer.instance, data=dict(serializer.validated_data)
        )

    @extend_schema(
        parameters=[CredentialDeleteQuerySerializer],
        responses={204: None, 409: ConflictSerializer},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a credential no unfinished job uses (409 naming them otherwise)."""
        query = query_params(request, CredentialDeleteQuerySerializer)
        services.credential_delete(
            credential=self.get_object(),
            remove_from_server=query["remove_from_server"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=CredentialGenerateSerializer,
        responses={201: CredentialSerializer},
        operation_id="credentials_generate",
    )
    @action(
        detail=False,
        methods=["post"],
        throttle_classes=[CredentialGenerateUserThrottle, CredentialGenerateTargetThrottle],
    )
    def generate(self, request: Request) -> Response:
        """Create an ed25519 key pair and install its public key on the server, logging in
        once with `password` (which is never stored). Throttled per user and per target
        account (server + username): 429 with Retry-After."""
        body = CredentialGenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        credential = services.credential_generate(owner=request.user, **body.validated_data)
        return Response(CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)
