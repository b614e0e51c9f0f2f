# Indexes for the job list's keyset pages and filters, and the logs' stream filter.
# On PostgreSQL also a trigram index for the title search (`search=`, an icontains:
# UPPER(title) LIKE UPPER('%q%')), which no b-tree serves; skipped where pg_trgm cannot
# be created (the search then scans, as on SQLite).

import logging

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

log = logging.getLogger(__name__)


def title_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS job_title_trgm ON jobs_job "
                "USING gin ((UPPER(title::text)) gin_trgm_ops)"
            )
    except DatabaseError as exc:
        log.warning("no trigram index for job title search (pg_trgm unavailable): %s", exc)


def drop_title_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS job_title_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('credentials', '0001_initial'),
        ('jobs', '0002_runner_v2'),
        ('servers', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='job',
            name='job_owner_created',
        ),
        migrations.RemoveIndex(
            model_name='job',
            name='job_created',
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['-created_at', 'id'], name='job_created_id'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['owner', '-created_at', 'id'], name='job_owner_created_id'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['status', '-created_at', 'id'], name='job_status_created_id'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['owner', 'status', '-created_at', 'id'], name='job_owner_status_created'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['server', '-created_at', 'id'], name='job_server_created_id'),
        ),
        migrations.AddIndex(
            model_name='logchunk',
            index=models.Index(fields=['job', 'stream', 'seq'], name='logchunk_job_stream_seq'),
        ),
        migrations.RunPython(title_trigram_index, drop_title_trigram_index, elidable=True),
    ]
