from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from drs.common.restapi import DrsAPIView, user_rows
from drs.tokens import selectors, services
from drs.tokens.models import ApiToken
from drs.tokens.serializers import TokenCreatedSerializer, TokenCreateSerializer, TokenSerializer


def created_response(token: ApiToken, key: str) -> Response:
    data = dict(TokenSerializer(token).data, token=key)
    return Response(data, status=status.HTTP_201_CREATED)


class TokenViewSet(
    DrsAPIView, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[ApiToken]
):
    """The caller's own API tokens: list, create (the key is shown once), revoke."""

    pagination_class = None  # a handful per user
    filter_backends: list[Any] = []
    serializer_class = TokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return user_rows(self, ApiToken, selectors.token_list)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return TokenCreateSerializer if self.action == "create" else TokenSerializer

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def create(self, request: Request) -> Response:
        body = TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, key = services.token_create(user=request.user, **body.validated_data)
        return created_response(token, key)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke: the token is refused (401) from now on."""
        services.token_revoke(token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
