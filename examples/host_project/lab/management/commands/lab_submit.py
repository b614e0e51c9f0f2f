"""`manage.py lab_submit USER SERVER PROGRAM`: host code submitting through `drs.api`."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from drs import api
from drs.servers.models import Server


class Command(BaseCommand):
    help = "Submit a shell program to a DRS server as a user; --cancel cancels it at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user")
        parser.add_argument("server")
        parser.add_argument("program")
        parser.add_argument("--cancel", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.get(username=options["user"])
        server = Server.objects.get(name=options["server"])
        job = api.submit(
            owner=user,
            server=server,
            interpreter=server.interpreters.get(name="sh"),
            program=options["program"],
            title="from host code",
        )
        if options["cancel"]:
            job = api.cancel(job, by=user)
        self.stdout.write(f"{job.pk} {job.status}")
