"""Structured logs: the job id on every line logged inside a job's context, JSON on request."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from drs.common.logging import JobIdFilter, JSONFormatter, job_id_var, logging_config


def capture(fmt: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger wired like the console handler of `logging_config(fmt=...)`."""
    config = logging_config(fmt=fmt, level="INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(JobIdFilter())
    formatter = config["formatters"][fmt]
    handler.setFormatter(
        JSONFormatter() if fmt == "json" else logging.Formatter(formatter["format"])
    )
    logger = logging.getLogger(f"drs.test.{fmt}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


async def test_json_lines_carry_the_job_id_of_their_task() -> None:
    logger, stream = capture("json")

    async def job(job_id: str) -> None:
        job_id_var.set(job_id)
        await asyncio.sleep(0)
        logger.info("chunk persisted", extra={"bytes": 42})

    await asyncio.gather(job("job-a"), job("job-b"))
    logger.warning("outside any job")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {(line["job_id"], line["bytes"]) for line in lines[:2]} == {("job-a", 42), ("job-b", 42)}
    assert lines[0]["message"] == "chunk persisted"
    assert lines[0]["level"] == "INFO"
    assert lines[2]["job_id"] is None
    assert "ValueError: boom" in lines[3]["exc"]


def test_plain_lines_name_the_job() -> None:
    logger, stream = capture("plain")
    token = job_id_var.set("3f0c")
    try:
        logger.info("hello")
    finally:
        job_id_var.reset(token)
    logger.info("bye")
    first, second = stream.getvalue().splitlines()
    assert first.endswith("drs.test.plain [job 3f0c]: hello")
    assert second.endswith("drs.test.plain: bye")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="DRS_LOG_FORMAT"):
        logging_config(fmt="xml", level="INFO")
