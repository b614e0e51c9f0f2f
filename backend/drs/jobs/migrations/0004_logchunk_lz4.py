# PostgreSQL compresses each log chunk (a TOASTed bytea) with pglz by default: at full
# speed that was the database's ceiling (~150 MB/s of 64 KiB chunks on the dev VM,
# against ~550-1300 MB/s with lz4, whose reads are faster too). Skipped on SQLite and
# on a server built without lz4 (PostgreSQL < 14 or --without-lz4): pglz stays.

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def set_compression(method):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("jobs", "LogChunk")._meta.db_table)
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(
                    f"ALTER TABLE {table} ALTER COLUMN data SET COMPRESSION {method}"
                )
        except DatabaseError as exc:
            log.warning("log chunks keep the default compression (%s unavailable): %s", method, exc)

    return apply


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_list_and_log_indexes")]

    operations = [
        migrations.RunPython(set_compression("lz4"), set_compression("DEFAULT")),
    ]
