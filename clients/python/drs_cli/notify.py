"""`drs webhooks …` and `drs schedules …`: thin commands over the generated client."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from drs_cli.api import call, iter_all, list_all, request
from drs_cli.errors import DrsError
from drs_client import AuthenticatedClient
from drs_client.api.schedules import (
    schedules_create,
    schedules_destroy,
    schedules_list,
    schedules_partial_update,
    schedules_retrieve,
)
from drs_client.api.webhooks import (
    webhooks_create,
    webhooks_deliveries,
    webhooks_destroy,
    webhooks_list,
    webhooks_test,
)
from drs_client.models import (
    PatchedScheduleRequest,
    ScheduleOverlapEnum,
    ScheduleRequest,
    WebhookEventEnum,
    WebhookRequest,
)

EVENTS = [e.value for e in WebhookEventEnum]


def cmd_webhooks(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    from drs_cli.main import dump_json, err, table, text

    action = args.action or "list"
    if action == "list":
        hooks = list_all("webhooks", webhooks_list.sync_detailed, client)
        if args.json:
            dump_json(hooks)
        else:
            rows = [[h.id, h.enabled, h.events, h.url] for h in hooks]
            table(rows, ["ID", "ENABLED", "EVENTS", "URL"])
        return 0
    if action == "add":
        secret = sys.stdin.readline().rstrip("\n") if args.secret_stdin else None
        body = WebhookRequest(
            url=args.url,
            events=[WebhookEventEnum(e) for e in args.event or ["job.finished"]],
            enabled=not args.disabled,
        )
        if secret:
            body.secret = secret
        hook = call("webhook", webhooks_create.sync_detailed, client=client, body=body)
        if args.json:
            dump_json(hook)
        else:
            print(hook.id)
            err(f"secret (shown once, keep it to check X-DRS-Signature): {hook.secret}")
        return 0
    webhook_id = args.id
    what = f"webhook {webhook_id}"
    if action == "rm":
        request(what, webhooks_destroy.sync_detailed, webhook_id, client=client)
        err(f"deleted {what}")
    elif action == "test":
        sent = call(what, webhooks_test.sync_detailed, webhook_id, client=client)
        if args.json:
            dump_json(sent)
        else:
            print(sent.delivery)
            err(f"a {sent.event} event is on its way; `drs webhooks deliveries {webhook_id}`")
    elif action == "deliveries":
        attempts: list[Any] = []
        for attempt in iter_all(what, webhooks_deliveries.sync_detailed, webhook_id, client=client):
            attempts.append(attempt)
            if len(attempts) >= args.limit:
                break
        if args.json:
            dump_json(attempts)
        else:
            table(
                [[text(a.time)[:19], a.delivery, a.event, a.attempt, a.status_code,
                  a.duration_ms, a.state, a.error] for a in attempts],
                ["TIME", "DELIVERY", "EVENT", "ATTEMPT", "STATUS", "MS", "STATE", "ERROR"],
            )  # fmt: skip
    return 0


def read_job_body(path: str) -> Any:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text()
    except OSError as exc:
        raise DrsError(f"cannot read the job body {path}: {exc.strerror}") from None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise DrsError(f"the job body {path} is not JSON: {exc}") from None


def cmd_schedules(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    from drs_cli.main import dump_json, err, table, text

    action = args.action or "list"
    if action == "list":
        schedules = list_all("schedules", schedules_list.sync_detailed, client)
        if args.json:
            dump_json(schedules)
        else:
            rows = [[s.id, s.name, s.cron, s.timezone, s.enabled, s.overlap,
                     text(s.next_run_at)[:19], s.last_job] for s in schedules]  # fmt: skip
            table(rows, ["ID", "NAME", "CRON", "TIMEZONE", "ENABLED", "OVERLAP", "NEXT (UTC)",
                         "LAST JOB"])  # fmt: skip
        return 0
    if action == "add":
        body = ScheduleRequest(
            name=args.name, cron=args.cron, job=read_job_body(args.job),
            timezone=args.timezone, overlap=ScheduleOverlapEnum(args.overlap),
            enabled=not args.disabled,
        )  # fmt: skip
        schedule = call("schedule", schedules_create.sync_detailed, client=client, body=body)
        if args.json:
            dump_json(schedule)
        else:
            print(schedule.id)
            err(f"next run: {text(schedule.next_run_at)}")
        return 0
    what = f"schedule {args.id}"
    if action == "rm":
        request(what, schedules_destroy.sync_detailed, args.id, client=client)
        err(f"deleted {what}")
        return 0
    if action in ("enable", "disable"):
        patch = PatchedScheduleRequest(enabled=action == "enable")
        schedule = call(
            what, schedules_partial_update.sync_detailed, args.id, client=client, body=patch
        )
    else:
        schedule = call(what, schedules_retrieve.sync_detailed, args.id, client=client)
    if args.json:
        dump_json(schedule)
        return 0
    for name in ("id", "name", "cron", "timezone", "overlap", "enabled", "next_run_at"):
        print(f"{name + ':':<14}{text(getattr(schedule, name))}")
    for when in schedule.next_runs[1:]:
        print(f"{'then:':<14}{text(when)}")
    for run in schedule.last_runs:
        print(f"{'run:':<14}{text(run.scheduled_for)} {text(run.outcome)} "
              f"{text(run.job)} {text(run.job_status)} {text(run.error)}".rstrip())  # fmt: skip
    return 0


def add_parsers(command: Any, json_flag: argparse.ArgumentParser) -> None:
    p = command("webhooks", cmd_webhooks, "list, add, test and remove your webhooks",
                parents=[json_flag])  # fmt: skip
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a webhook; prints its id (the secret on stderr)",
                             parents=[json_flag])  # fmt: skip
    add.add_argument("url")
    add.add_argument("--event", action="append", choices=EVENTS,
                     help="repeatable; default job.finished")  # fmt: skip
    add.add_argument("--secret-stdin", action="store_true",
                     help="read the signing secret from stdin (default: generated)")  # fmt: skip
    add.add_argument("--disabled", action="store_true")
    for name, help in (("rm", "delete a webhook"), ("test", "send a webhook.test event"),
                       ("deliveries", "the delivery log, newest first")):  # fmt: skip
        q = actions.add_parser(name, help=help, parents=[json_flag])
        q.add_argument("id", type=int)
        if name == "deliveries":
            q.add_argument("--limit", type=int, default=50)

    p = command("schedules", cmd_schedules, "list, add, show and remove your schedules",
                parents=[json_flag])  # fmt: skip
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a schedule; prints its id", parents=[json_flag])
    add.add_argument("name")
    add.add_argument("--cron", required=True, help="5 fields, e.g. '0 2 * * *'")
    add.add_argument("--timezone", default="UTC", help="IANA name (default UTC)")
    add.add_argument("--job", required=True, metavar="FILE",
                     help="a JSON body as POST /api/jobs/ takes it (- reads stdin)")  # fmt: skip
    add.add_argument("--overlap", choices=[o.value for o in ScheduleOverlapEnum], default="skip")
    add.add_argument("--disabled", action="store_true")
    for name, help in (("show", "a schedule, its next runs and last runs"),
                       ("rm", "delete a schedule"), ("enable", "enable a schedule"),
                       ("disable", "disable a schedule")):  # fmt: skip
        q = actions.add_parser(name, help=help, parents=[json_flag])
        q.add_argument("id", type=int)
