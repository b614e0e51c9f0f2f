from django.db import migrations, models


def drop_old_reaper_schedule(apps, schema_editor):
    """Runner v1 scheduled its reaper in django-q2; runner processes reap themselves now."""
    apps.get_model('django_q', 'Schedule').objects.filter(name='drs-reaper').delete()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('django_q', '__first__'),
    ]

    operations = [
        migrations.CreateModel(
            name='RunnerHeartbeat',
            fields=[
                ('owner', models.CharField(max_length=100, primary_key=True, serialize=False)),
                ('hostname', models.CharField(max_length=100)),
                ('pid', models.IntegerField()),
                ('started_at', models.DateTimeField()),
                ('seen_at', models.DateTimeField(db_index=True)),
                ('jobs', models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(drop_old_reaper_schedule, migrations.RunPython.noop),
    ]
