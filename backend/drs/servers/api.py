from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from drs.common.exceptions import Conflict, DomainError
from drs.common.permissions import IsStaffOrReadOnly
from drs.common.restapi import DrsAPIView
from drs.servers import hosts
from drs.servers.models import Interpreter, Server
from drs.servers.serializers import (
    CheckResultSerializer,
    ConflictSerializer,
    HostKeySerializer,
    InterpreterSerializer,
    ServerCheckSerializer,
    ServerSerializer,
)


def refuse_if_used(instance: Server | Interpreter, noun: str) -> None:
    """Jobs keep their server and interpreter (PROTECT): history stays readable. Say how
    many jobs are in the way instead of the generic ProtectedError answer. (`jobs` is the
    reverse side of drs.jobs' foreign keys: this app does not import the app above it.)"""
    used = instance.jobs.count()
    if used:
        jobs = "1 job uses" if used == 1 else f"{used} jobs use"
        raise Conflict(
            f"{jobs} this {noun}; it cannot be deleted while they exist. Disable it "
            "instead, or delete those jobs first."
            if noun == "server"
            else f"{jobs} this {noun}; it cannot be deleted while they exist."
        )


# perform_destroy for the rows jobs keep (PROTECT): a 409 while any job uses one. No
# docstring: a viewset's bases' docstrings may become its operations' description.
class DeleteUnlessUsed:
    noun = ""

    def perform_destroy(self, instance: Server | Interpreter) -> None:
        with transaction.atomic():
            refuse_if_used(instance, self.noun)
            instance.delete()


class InterpreterViewSet(DeleteUnlessUsed, DrsAPIView, viewsets.ModelViewSet[Interpreter]):
    noun = "interpreter"
    queryset = Interpreter.objects.all()
    serializer_class = InterpreterSerializer
    permission_classes = [IsStaffOrReadOnly]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    @extend_schema(responses={204: None, 409: ConflictSerializer})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete an interpreter no job uses (409 otherwise); servers stop offering it."""
        return super().destroy(request, *args, **kwargs)


class ServerViewSet(DeleteUnlessUsed, DrsAPIView, viewsets.ModelViewSet[Server]):
    noun = "server"
    serializer_class = ServerSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_fields = ["kind", "enabled"]
    search_fields = ["name", "hostname"]
    ordering_fields = ["name", "id", "created_at"]

    def get_queryset(self) -> QuerySet[Server]:
        return Server.objects.prefetch_related("interpreters")

    @extend_schema(responses={204: None, 409: ConflictSerializer})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a server no job uses (409 otherwise), with its credentials."""
        return super().destroy(request, *args, **kwargs)

    @extend_schema(request=None, responses=HostKeySerializer, operation_id="servers_scan_host_key")
    @action(detail=True, methods=["post"], url_path="scan-host-key")
    def scan_host_key(self, request: Request, pk: str | None = None) -> Response:
        """Fetch the key the host offers now, with its fingerprint. Pins nothing: compare the
        fingerprint out of band, then PATCH `host_key` to pin it."""
        found = hosts.actions().scan_host_key(self.get_object())
        return Response(HostKeySerializer(asdict(found)).data)

    @extend_schema(
        request=ServerCheckSerializer, responses=CheckResultSerializer, operation_id="servers_check"
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """Log in with one of your credentials, run `true`, and check that each of the server's
        interpreters starts (runs an empty program file): latency, or what failed."""
        server = self.get_object()
        body = ServerCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Credentials are strictly personal (drs.credentials.selectors): even staff use only
        # their own. `credentials` is the reverse side of Credential.server.
        mine = server.credentials.filter(owner_id=request.user.pk)
        if "credential" in body.validated_data:
            mine = mine.filter(pk=body.validated_data["credential"])
        credential = mine.first()
        if credential is None:
            raise DomainError("You have no such credential for this server.", field="credential")
        result = hosts.actions().check_connection(server, credential.login())
        return Response(CheckResultSerializer(asdict(result)).data)
