"""Events running into a day from before it: the date indexes carry date_end, so the ones
that began up to SHORT_SPAN_DAYS earlier are found by a bounded range scan; the GiST
indexes hold only the longer events (timeline.models.SHORT_SPAN_DAYS). Statistics on the
span let Postgres see how few those are: with its default guess (a third of all rows) it
ANDed the wrong indexes and hashed every place for a handful of events."""

import django.contrib.postgres.fields.ranges
import django.contrib.postgres.indexes
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0010_event_json'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='event',
            name='event_span',
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_type_span',
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_status_date_id',
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_type_date_id',
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['status', 'date_start', 'id'], include=('place', 'date_end'), name='event_status_date_id'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['event_type', 'status', 'date_start', 'id'], include=('place', 'date_end'), name='event_type_date_id'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GistIndex(models.Func(models.F('date_start'), models.F('date_end'), models.Value('[]'), function='daterange', output_field=django.contrib.postgres.fields.ranges.DateRangeField()), condition=models.Q(django.db.models.lookups.GreaterThan(models.Func(models.F('date_end'), models.F('date_start'), arg_joiner=' - ', output_field=models.IntegerField(), template='(%(expressions)s)'), 31)), name='event_span'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GistIndex(models.F('event_type'), models.F('status'), models.Func(models.F('date_start'), models.F('date_end'), models.Value('[]'), function='daterange', output_field=django.contrib.postgres.fields.ranges.DateRangeField()), condition=models.Q(django.db.models.lookups.GreaterThan(models.Func(models.F('date_end'), models.F('date_start'), arg_joiner=' - ', output_field=models.IntegerField(), template='(%(expressions)s)'), 31)), name='event_type_span'),
        ),
        migrations.RunSQL(
            "CREATE STATISTICS event_span_days ON (date_end - date_start) FROM timeline_event",
            "DROP STATISTICS event_span_days",
        ),
    ]
