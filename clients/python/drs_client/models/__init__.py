"""Contains all the data models used in inputs/outputs"""

from .application import Application
from .application_default_resources import ApplicationDefaultResources
from .application_environment import ApplicationEnvironment
from .application_job_create_request import ApplicationJobCreateRequest
from .application_job_create_request_inputs_item import (
    ApplicationJobCreateRequestInputsItem,
)
from .application_job_create_request_resources import (
    ApplicationJobCreateRequestResources,
)
from .application_request import ApplicationRequest
from .application_request_default_resources import ApplicationRequestDefaultResources
from .application_request_environment import ApplicationRequestEnvironment
from .check_result import CheckResult
from .conflict import Conflict
from .credential import Credential
from .credential_generate_request import CredentialGenerateRequest
from .credential_kind_enum import CredentialKindEnum
from .credential_request import CredentialRequest
from .credentials_list_kind import CredentialsListKind
from .delivery_attempt import DeliveryAttempt
from .delivery_state_enum import DeliveryStateEnum
from .file import File
from .file_upload_request import FileUploadRequest
from .host_key import HostKey
from .interpreter import Interpreter
from .interpreter_request import InterpreterRequest
from .interpreter_status import InterpreterStatus
from .job import Job
from .job_create_request import JobCreateRequest
from .job_create_request_environment import JobCreateRequestEnvironment
from .job_create_request_resources import JobCreateRequestResources
from .job_deleted import JobDeleted
from .job_input import JobInput
from .job_input_spec_request import JobInputSpecRequest
from .job_metrics_last_type_0 import JobMetricsLastType0
from .job_parameters_type_0 import JobParametersType0
from .job_status_enum import JobStatusEnum
from .job_summary import JobSummary
from .job_summary_metrics_last_type_0 import JobSummaryMetricsLastType0
from .job_summary_parameters_type_0 import JobSummaryParametersType0
from .jobs_list_status_item import JobsListStatusItem
from .jobs_log_text_stream import JobsLogTextStream
from .jobs_logs_search_stream import JobsLogsSearchStream
from .jobs_logs_stream import JobsLogsStream
from .jobs_results_list_status_item import JobsResultsListStatusItem
from .log_chunk import LogChunk
from .log_page import LogPage
from .log_policy_enum import LogPolicyEnum
from .log_search_match import LogSearchMatch
from .log_search_page import LogSearchPage
from .login_request import LoginRequest
from .metric_page import MetricPage
from .metric_point import MetricPoint
from .metric_point_values import MetricPointValues
from .notification_settings import NotificationSettings
from .paginated_credential_list import PaginatedCredentialList
from .paginated_delivery_attempt_list import PaginatedDeliveryAttemptList
from .paginated_file_list import PaginatedFileList
from .paginated_interpreter_list import PaginatedInterpreterList
from .paginated_job_summary_list import PaginatedJobSummaryList
from .paginated_schedule_list import PaginatedScheduleList
from .paginated_server_list import PaginatedServerList
from .paginated_sweep_list import PaginatedSweepList
from .paginated_webhook_list import PaginatedWebhookList
from .patched_application_request import PatchedApplicationRequest
from .patched_application_request_default_resources import (
    PatchedApplicationRequestDefaultResources,
)
from .patched_application_request_environment import (
    PatchedApplicationRequestEnvironment,
)
from .patched_credential_request import PatchedCredentialRequest
from .patched_interpreter_request import PatchedInterpreterRequest
from .patched_notification_settings_request import PatchedNotificationSettingsRequest
from .patched_schedule_request import PatchedScheduleRequest
from .patched_server_request import PatchedServerRequest
from .patched_webhook_request import PatchedWebhookRequest
from .result import Result
from .schedule import Schedule
from .schedule_overlap_enum import ScheduleOverlapEnum
from .schedule_request import ScheduleRequest
from .schedule_run import ScheduleRun
from .schedule_run_outcome_enum import ScheduleRunOutcomeEnum
from .scheduler_enum import SchedulerEnum
from .server import Server
from .server_check_request import ServerCheckRequest
from .server_kind_enum import ServerKindEnum
from .server_request import ServerRequest
from .servers_list_kind import ServersListKind
from .stream_enum import StreamEnum
from .sweep import Sweep
from .sweep_cancelled import SweepCancelled
from .sweep_create_request import SweepCreateRequest
from .sweep_create_request_vary import SweepCreateRequestVary
from .sweep_created import SweepCreated
from .sweep_status_counts import SweepStatusCounts
from .table import Table
from .test_delivery import TestDelivery
from .token import Token
from .token_create_request import TokenCreateRequest
from .token_created import TokenCreated
from .token_login_request import TokenLoginRequest
from .user import User
from .webhook import Webhook
from .webhook_created import WebhookCreated
from .webhook_event_enum import WebhookEventEnum
from .webhook_request import WebhookRequest

__all__ = (
    "Application",
    "ApplicationDefaultResources",
    "ApplicationEnvironment",
    "ApplicationJobCreateRequest",
    "ApplicationJobCreateRequestInputsItem",
    "ApplicationJobCreateRequestResources",
    "ApplicationRequest",
    "ApplicationRequestDefaultResources",
    "ApplicationRequestEnvironment",
    "CheckResult",
    "Conflict",
    "Credential",
    "CredentialGenerateRequest",
    "CredentialKindEnum",
    "CredentialRequest",
    "CredentialsListKind",
    "DeliveryAttempt",
    "DeliveryStateEnum",
    "File",
    "FileUploadRequest",
    "HostKey",
    "Interpreter",
    "InterpreterRequest",
    "InterpreterStatus",
    "Job",
    "JobCreateRequest",
    "JobCreateRequestEnvironment",
    "JobCreateRequestResources",
    "JobDeleted",
    "JobInput",
    "JobInputSpecRequest",
    "JobMetricsLastType0",
    "JobParametersType0",
    "JobStatusEnum",
    "JobSummary",
    "JobSummaryMetricsLastType0",
    "JobSummaryParametersType0",
    "JobsListStatusItem",
    "JobsLogTextStream",
    "JobsLogsSearchStream",
    "JobsLogsStream",
    "JobsResultsListStatusItem",
    "LogChunk",
    "LogPage",
    "LogPolicyEnum",
    "LogSearchMatch",
    "LogSearchPage",
    "LoginRequest",
    "MetricPage",
    "MetricPoint",
    "MetricPointValues",
    "NotificationSettings",
    "PaginatedCredentialList",
    "PaginatedDeliveryAttemptList",
    "PaginatedFileList",
    "PaginatedInterpreterList",
    "PaginatedJobSummaryList",
    "PaginatedScheduleList",
    "PaginatedServerList",
    "PaginatedSweepList",
    "PaginatedWebhookList",
    "PatchedApplicationRequest",
    "PatchedApplicationRequestDefaultResources",
    "PatchedApplicationRequestEnvironment",
    "PatchedCredentialRequest",
    "PatchedInterpreterRequest",
    "PatchedNotificationSettingsRequest",
    "PatchedScheduleRequest",
    "PatchedServerRequest",
    "PatchedWebhookRequest",
    "Result",
    "Schedule",
    "ScheduleOverlapEnum",
    "ScheduleRequest",
    "ScheduleRun",
    "ScheduleRunOutcomeEnum",
    "SchedulerEnum",
    "Server",
    "ServerCheckRequest",
    "ServerKindEnum",
    "ServerRequest",
    "ServersListKind",
    "StreamEnum",
    "Sweep",
    "SweepCancelled",
    "SweepCreateRequest",
    "SweepCreateRequestVary",
    "SweepCreated",
    "SweepStatusCounts",
    "Table",
    "TestDelivery",
    "Token",
    "TokenCreateRequest",
    "TokenCreated",
    "TokenLoginRequest",
    "User",
    "Webhook",
    "WebhookCreated",
    "WebhookEventEnum",
    "WebhookRequest",
)
