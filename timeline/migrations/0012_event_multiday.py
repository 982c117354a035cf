"""The multi-day events' own date indexes: filters.began_into finds the events that began in
the month before a day and run into it among these, not among every event of that month
(on the ingest benchmark, 800 index entries read per window to find none)."""

import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0011_event_long_span'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(django.db.models.lookups.GreaterThan(models.Func(models.F('date_end'), models.F('date_start'), arg_joiner=' - ', output_field=models.IntegerField(), template='(%(expressions)s)'), 0)), fields=['status', 'date_start', 'id'], include=('place', 'date_end'), name='event_status_multiday'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(django.db.models.lookups.GreaterThan(models.Func(models.F('date_end'), models.F('date_start'), arg_joiner=' - ', output_field=models.IntegerField(), template='(%(expressions)s)'), 0)), fields=['event_type', 'status', 'date_start', 'id'], include=('place', 'date_end'), name='event_type_multiday'),
        ),
    ]
