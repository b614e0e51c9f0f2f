"""Sign-in for the SPA (session) and for scripts (token)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from drs.common.fields import StrictCharField, StrictIntegerField
from drs.common.restapi import DrsAPIView
from drs.common.throttles import LoginThrottle
from drs.tokens import services as tokens
from drs.tokens.api import created_response
from drs.tokens.serializers import MAX_EXPIRES_IN_DAYS, TokenCreatedSerializer


class LoginSerializer(serializers.Serializer[Any]):
    username = StrictCharField(max_length=150)
    password = StrictCharField(
        max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )


class TokenLoginSerializer(LoginSerializer):
    name = StrictCharField(
        max_length=100, required=False, default="API token", help_text="What it is for."
    )
    expires_in_days = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EXPIRES_IN_DAYS,
        help_text="Days until it stops working (default: DRS_TOKEN_TTL_DAYS, 90 unless set).",
    )


class UserSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_staff = serializers.BooleanField()


def _authenticate(request: Request, body: LoginSerializer) -> Any:
    body.is_valid(raise_exception=True)
    credentials = {k: body.validated_data[k] for k in ("username", "password")}
    user = authenticate(request._request, **credentials)
    if user is None or not user.is_active:
        raise serializers.ValidationError({"password": ["Wrong username or password."]})
    return user


class PasswordView(DrsAPIView):
    """Anyone may try a username and password here, at a throttled rate."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]


@method_decorator(csrf_protect, name="dispatch")
class LoginView(PasswordView):
    """Session sign-in for the SPA (needs the CSRF cookie from `GET /api/auth/me/`)."""

    @extend_schema(request=LoginSerializer, responses=UserSerializer, operation_id="auth_login")
    def post(self, request: Request) -> Response:
        user = _authenticate(request, LoginSerializer(data=request.data))
        login(request._request, user)
        return Response(UserSerializer(user).data)


class LogoutView(DrsAPIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class MeView(DrsAPIView):
    """The signed-in user. Also sets the CSRF cookie the SPA needs for writes."""

    @extend_schema(responses=UserSerializer, operation_id="auth_me")
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class TokenView(PasswordView):
    """Trade username + password for a new API token (`Authorization: Token <token>`),
    named and expiring; the key is shown in this answer only."""

    @extend_schema(
        request=TokenLoginSerializer,
        responses={201: TokenCreatedSerializer},
        operation_id="auth_token",
    )
    def post(self, request: Request) -> Response:
        body = TokenLoginSerializer(data=request.data)
        user = _authenticate(request, body)
        token, key = tokens.token_create(
            user=user,
            name=body.validated_data["name"],
            expires_in_days=body.validated_data.get("expires_in_days"),
        )
        return created_response(token, key)
