from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


class IsStaffOrReadOnly(permissions.BasePermission):
    """Authenticated users read; only staff write (servers, interpreters)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or bool(user.is_staff)
