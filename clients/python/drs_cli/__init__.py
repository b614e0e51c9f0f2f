"""The hand-written layer over the generated `drs_client` (which is regenerated whole from
the OpenAPI schema and never edited): sign-in and stored config (`session`), error mapping
and paging over `next` links (`api`), websocket log following with exact bytes and resume
(`follow`), checked result downloads (`results`) and the `drs` command line (`main`)."""

from drs_cli.api import call, iter_all, iter_results, list_all
from drs_cli.errors import DrsError
from drs_cli.follow import End, Follower, Output, exit_status, split_outputs, stream_outputs
from drs_cli.results import download_results
from drs_cli.session import Session, login
from drs_cli.session import load as load_session

__all__ = [
    "DrsError",
    "End",
    "Follower",
    "Output",
    "Session",
    "call",
    "download_results",
    "exit_status",
    "iter_all",
    "iter_results",
    "list_all",
    "load_session",
    "login",
    "split_outputs",
    "stream_outputs",
]
