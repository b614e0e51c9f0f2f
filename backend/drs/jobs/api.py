from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from drs.common.exceptions import Forbidden
from drs.common.pagination import KeysetPagination
from drs.common.renderers import BinaryRenderer, PlainTextRenderer
from drs.common.restapi import DrsAPIView, query_params, user_rows
from drs.jobs import selectors, services, summaries
from drs.jobs.filters import JobFilter
from drs.jobs.metric_points import MetricPageSerializer, MetricQuerySerializer, metric_page
from drs.jobs.models import Job
from drs.jobs.pagination import ResultPagination
from drs.jobs.serializers import (
    JobCreateSerializer,
    JobDeletedSerializer,
    JobSerializer,
    JobSummarySerializer,
    LogPageSerializer,
    LogQuerySerializer,
    LogSearchPageSerializer,
    LogSearchQuerySerializer,
    LogTextQuerySerializer,
    ResultSerializer,
    represent,
)
from drs.jobs.tables import TableQuerySerializer, TableSerializer, read_result_table

Row = TypeVar("Row")


class JobViewSet(
    DrsAPIView,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Job],
):
    # Newest first, by keyset: no COUNT(*) and no OFFSET however deep the page
    # (common/pagination.py). No `ordering` parameter: a cursor needs one fixed order.
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = JobFilter
    search_fields = ["title"]

    @staticmethod
    def max_body_bytes() -> int:
        """A program of DRS_MAX_PROGRAM_BYTES can take six times that as JSON (`\\u0001`
        escapes), with its arguments and environment beside it (common/bodylimit.py)."""
        return 6 * settings.DRS_MAX_PROGRAM_BYTES + 4 * 1024 * 1024

    def get_queryset(self) -> QuerySet[Job]:
        return user_rows(self, Job, selectors.job_list)

    def filter_queryset(self, queryset: QuerySet[Job, Row]) -> QuerySet[Job, Row]:
        # The list's filters are for the list: a job's own endpoints (logs, search,
        # results) would only pay for building them on every request.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "list":
            return JobSummarySerializer
        if self.action == "create":
            return JobCreateSerializer
        return JobSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Jobs, newest first, a page at a time: follow `next` (cursor pagination)."""
        jobs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(summaries.summary_values(jobs))
        assert page is not None  # the viewset always paginates
        return self.get_paginated_response([summaries.summary_row(row) for row in page])

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit a job: it is `queued` at once and starts when its server has room."""
        data, recorded = self.job_request(request)
        body = JobCreateSerializer(data=data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        job = services.job_create(owner=request.user, **body.validated_data, **recorded)
        return Response(represent(JobSerializer, job), status=status.HTTP_201_CREATED)

    def job_request(self, request: Request) -> tuple[Any, dict[str, Any]]:
        """The plain job body a submission carries, and what the job records besides it
        (drs.applications' viewset also takes an application and its parameters)."""
        return request.data, {}

    @extend_schema(
        request=None,
        responses={202: JobSerializer, 409: OpenApiResponse(description="The job already ended.")},
        operation_id="jobs_cancel",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Stop the job: TERM to its whole process group, then KILL after a grace period."""
        job = services.job_cancel(job=self.get_object())
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={
            201: JobSerializer,
            403: OpenApiResponse(description="Only the job's owner may rerun it."),
        },
        operation_id="jobs_rerun",
    )
    @action(detail=True, methods=["post"])
    def rerun(self, request: Request, pk: str | None = None) -> Response:
        """Submit a new job with the same inputs."""
        job = services.job_rerun(job=self.get_object(), requester=request.user)
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[LogQuerySerializer], responses=LogPageSerializer, operation_id="jobs_logs"
    )
    @action(detail=True, methods=["get"])
    def logs(self, request: Request, pk: str | None = None) -> Response:
        """A page of log chunks in seq order: forward from `after`, the last `tail` chunks, or
        the chunks just `before` a seq. Bounded by `limit` rows and about `max_bytes` bytes.
        `complete` once the job ended and nothing follows."""
        job = self.get_object()
        query = query_params(request, LogQuerySerializer)
        # Already in LogPageSerializer's shape (which documents it): no per-row serializer.
        return Response(selectors.log_page(job=job, **query))

    @extend_schema(
        parameters=[LogSearchQuerySerializer],
        responses=LogSearchPageSerializer,
        operation_id="jobs_logs_search",
    )
    @action(detail=True, methods=["get"], url_path="logs/search")
    def logs_search(self, request: Request, pk: str | None = None) -> Response:
        """Lines of the whole log that contain `q` (case-insensitive), from line `cursor` on,
        with the total number of matching lines (counted up to a cap)."""
        job = self.get_object()
        query = query_params(request, LogSearchQuerySerializer)
        return Response(selectors.log_search(job=job, **query))

    @extend_schema(
        parameters=[MetricQuerySerializer],
        responses=MetricPageSerializer,
        operation_id="jobs_metrics",
    )
    @action(detail=True, methods=["get"])
    def metrics(self, request: Request, pk: str | None = None) -> Response:
        """The job's metric points (lines of its DRS_METRICS file) with n > `after`, in
        order, at most `limit`. `complete` once the job ended and nothing follows."""
        job = self.get_object()
        query = query_params(request, MetricQuerySerializer)
        return Response(metric_page(job=job, **query))

    @extend_schema(
        parameters=[
            OpenApiParameter("result_id", int, OpenApiParameter.PATH),
            TableQuerySerializer,
        ],
        responses=TableSerializer,
        operation_id="jobs_results_table",
    )
    @action(detail=True, methods=["get"], url_path=r"results/(?P<result_id>\d+)/table")
    def result_table(self, request: Request, result_id: str, pk: str | None = None) -> Response:
        """A result file read as a numeric table (CSV, TSV, or whitespace-separated with
        `#` comments), down-sampled to at most `max_points` evenly spaced rows."""
        job = self.get_object()
        result = get_object_or_404(job.results, pk=int(result_id))
        query = query_params(request, TableQuerySerializer)
        with result.file.open("rb") as file:
            table = read_result_table(file, result.path, query["max_points"])
        return Response(table)

    @extend_schema(
        responses={
            200: JobDeletedSerializer,
            403: OpenApiResponse(description="Only the job's owner may delete it."),
            409: OpenApiResponse(description="The job has not ended yet."),
        },
        operation_id="jobs_destroy",
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Delete a finished job: its directory on the host (logging in with the job's
        credential), its log and result files. If the host cannot be reached the job is
        deleted anyway and `remote_directory_removed` is false."""
        job = self.get_object()
        if job.owner_id != request.user.pk:
            raise Forbidden(
                "Only the job's owner can delete it: removing its directory logs in with"
                " the owner's credential."
            )
        deleted = services.job_delete(job=job)
        return Response(JobDeletedSerializer(deleted).data)

    @extend_schema(
        responses=ResultSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "Link", str, OpenApiParameter.HEADER, response=[200],
                description='RFC 8288 links to the `rel="next"` and `rel="prev"` pages.',
            ),
            OpenApiParameter(
                "X-Total-Count", int, OpenApiParameter.HEADER, response=[200],
                description="How many result files the job has.",
            ),
        ],
        operation_id="jobs_results_list",
    )  # fmt: skip
    @action(detail=True, methods=["get"], pagination_class=ResultPagination)
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Files the job created or changed that matched its result patterns, by path.
        Paged by `page` and `page_size` (default and most 1000): the next page is in the
        `Link` header, the total in `X-Total-Count`."""
        job = self.get_object()
        paginator = ResultPagination()
        page = paginator.paginate_queryset(job.results.order_by("path", "pk"), request, view=self)
        return paginator.get_paginated_response(ResultSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("result_id", int, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        operation_id="jobs_results_download",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"results/(?P<result_id>\d+)/download",
        renderer_classes=[BinaryRenderer],
    )
    def download_result(
        self, request: Request, result_id: str, pk: str | None = None
    ) -> FileResponse:
        job = self.get_object()
        result = get_object_or_404(job.results, pk=int(result_id))
        return FileResponse(
            result.file.open("rb"),
            as_attachment=True,
            filename=result.path.rsplit("/", 1)[-1],
            content_type="application/octet-stream",
        )


class JobLogTextView(DrsAPIView):
    """`jobs/{id}/log.txt`: no trailing slash, so it saves under its own name."""

    renderer_classes = [PlainTextRenderer]

    @extend_schema(
        parameters=[LogTextQuerySerializer],
        responses={(200, "text/plain"): OpenApiTypes.BINARY},
        operation_id="jobs_log_text",
    )
    def get(self, request: Request, pk: str) -> StreamingHttpResponse:
        """The exact bytes the job wrote, streamed (stdout, stderr, or both interleaved as received)."""
        job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
        query = query_params(request, LogTextQuerySerializer)
        stream = query["stream"]
        response = StreamingHttpResponse(
            selectors.log_bytes(job=job, stream=None if stream == "all" else stream),
            content_type="text/plain; charset=utf-8",
        )
        disposition = "attachment" if query["download"] else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{job.pk}-{stream}.log"'
        return response
