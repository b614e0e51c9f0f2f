"""Log records with the job they belong to, as plain text or one JSON object per line.

The runner sets `job_id_var` in each job's task (asyncio copies the context into every
task it creates), so every line logged while working on a job carries its id without
passing it around. `DRS_LOG_FORMAT=json` switches the console to JSON lines for log
collectors; `plain` (default) stays readable in a terminal.
"""

from __future__ import annotations

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

job_id_var: ContextVar[str | None] = ContextVar("drs_job_id", default=None)

# Attributes every LogRecord has: anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "job_id",
    "job",
}


class JobIdFilter(logging.Filter):
    """Adds `job_id` (None outside a job) and `job` (" [job <id>]" or "") to records."""

    def filter(self, record: logging.LogRecord) -> bool:
        job_id = getattr(record, "job_id", None)
        if job_id is None and (value := job_id_var.get()) is not None:
            job_id = str(value)
        record.job_id = job_id
        record.job = f" [job {job_id}]" if job_id else ""
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, process, job_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
            "job_id": getattr(record, "job_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(data, ensure_ascii=False, default=str)


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: console output in `fmt` ("plain" or "json")."""
    if fmt not in {"plain", "json"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"DRS_LOG_FORMAT must be 'plain' or 'json', got {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"job_id": {"()": "drs.common.logging.JobIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(job)s: %(message)s"},
            "json": {"()": "drs.common.logging.JSONFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["job_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "asyncssh": {"level": "WARNING"},
            "daphne": {"level": "WARNING"},
        },
    }
