from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from drs.applications import selectors, services
from drs.applications.models import Application, Sweep
from drs.applications.serializers import (
    ApplicationJobCreateSerializer,
    ApplicationSerializer,
    SweepCancelledSerializer,
    SweepCreatedSerializer,
    SweepCreateSerializer,
    SweepSerializer,
)
from drs.common.permissions import IsStaffOrReadOnly
from drs.common.restapi import DrsAPIView, user_rows
from drs.jobs import api as jobs_api
from drs.jobs.serializers import JobCreateSerializer, JobSerializer


class ApplicationViewSet(DrsAPIView, viewsets.ModelViewSet[Application]):
    """Curated launchers: staff write, everyone reads (disabled ones: staff only)."""

    serializer_class = ApplicationSerializer
    permission_classes = [IsStaffOrReadOnly]
    lookup_field = "name"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    search_fields = ["name", "title"]
    pagination_class = None

    def get_queryset(self) -> QuerySet[Application]:
        return user_rows(self, Application, selectors.application_list)


class SweepViewSet(
    DrsAPIView,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Sweep],
):
    serializer_class = SweepSerializer

    def get_queryset(self) -> QuerySet[Sweep]:
        return user_rows(self, Sweep, selectors.sweep_list)

    def _show(self, sweep: Sweep) -> dict[str, Any]:
        sweep.status_counts = selectors.sweep_status_counts(sweep=sweep)  # type: ignore[attr-defined]
        return dict(SweepSerializer(sweep).data)

    @extend_schema(request=SweepCreateSerializer, responses={201: SweepCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One job per combination of the `vary` lists (all or none are created)."""
        sweep, jobs = services.sweep_create(
            owner=request.user, data=request.data, context=self.get_serializer_context()
        )
        body = {"id": sweep.pk, "count": sweep.count, "jobs": jobs}
        return Response(SweepCreatedSerializer(body).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The sweep and how many of its jobs are in each status."""
        return Response(self._show(self.get_object()))

    @extend_schema(request=None, responses={202: SweepCancelledSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel every job of the sweep that has not ended."""
        count = services.sweep_cancel(sweep=self.get_object())
        return Response({"cancelled": count}, status=status.HTTP_202_ACCEPTED)


# `/api/jobs/`, whose submissions may also name an application and its parameters. (A
# comment, not a docstring: drf-spectacular would show a docstring on every job endpoint.)
class JobViewSet(jobs_api.JobViewSet):
    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="JobSubmit",
            serializers=[JobCreateSerializer, ApplicationJobCreateSerializer],
            resource_type_field_name=None,
        ),
        responses={201: JobSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit a job: it is `queued` at once and starts when its server has room. Either
        a program (interpreter, program, arguments...) or an application and its parameters,
        which render into the same plain job."""
        return super().create(request, *args, **kwargs)

    def job_request(self, request: Request) -> tuple[Any, dict[str, Any]]:
        data = request.data
        if isinstance(data, Mapping) and "application" in data:
            return services.application_job_request(data, user=request.user)
        return data, {}
