# Runner v2: wrapper liveness (pid + start time), the unreachable clock, and line numbers.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='remote_pid',
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='job',
            name='remote_pid_start',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='job',
            name='remote_pgid_start',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='job',
            name='unreachable_since',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='job',
            name='line_count',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='logchunk',
            name='line',
            field=models.BigIntegerField(default=0),
        ),
    ]
