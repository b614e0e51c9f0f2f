"""Sign-in for the SPA (session) and for scripts (token)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.core.cache import caches
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from redis.exceptions import RedisError
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

log = logging.getLogger(__name__)


class LoginThrottle(AnonRateThrottle):
    """Counted in the shared cache (Redis), so that every daphne process and web node
    counts a client's attempts together (a per-process count let N processes allow N
    times the rate). While Redis cannot be reached, this process counts alone: a sign-in
    is never refused with a 500 for the throttle's sake."""

    scope = "login"
    cache = caches["shared"]

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            log.warning("login throttle: shared cache unavailable (%r); counting locally", exc)
            self.cache = caches["default"]
            return super().allow_request(request, view)


class LoginSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )


class UserSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_staff = serializers.BooleanField()


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


def _authenticate(request: Request) -> Any:
    body = LoginSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    user = authenticate(request._request, **body.validated_data)
    if user is None or not user.is_active:
        raise serializers.ValidationError({"password": ["Wrong username or password."]})
    return user


class PasswordView(APIView):
    """Anyone may try a username and password here, at a throttled rate."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]


@method_decorator(csrf_protect, name="dispatch")
class LoginView(PasswordView):
    """Session sign-in for the SPA (needs the CSRF cookie from `GET /api/auth/me/`)."""

    @extend_schema(request=LoginSerializer, responses=UserSerializer, operation_id="auth_login")
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        login(request._request, user)
        return Response(UserSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class MeView(APIView):
    """The signed-in user. Also sets the CSRF cookie the SPA needs for writes."""

    @extend_schema(responses=UserSerializer, operation_id="auth_me")
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class TokenView(PasswordView):
    """Trade username + password for an API token (`Authorization: Token <token>`)."""

    @extend_schema(request=LoginSerializer, responses=TokenSerializer, operation_id="auth_token")
    def post(self, request: Request) -> Response:
        token, _ = Token.objects.get_or_create(user=_authenticate(request))
        return Response({"token": token.key})
