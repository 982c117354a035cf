"""Foreign keys without an index of their own where another index begins with the column
(evidence: evidence_once_per_place and evidence_article; claim: claim_once; event:
event_place_date). Each index is written for every new row version: ingest writes these
tables for every article."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0012_event_multiday'),
    ]

    operations = [
        migrations.AlterField(
            model_name='claim',
            name='event',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='claims', to='timeline.event'),
        ),
        migrations.AlterField(
            model_name='event',
            name='place',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='timeline.place'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='timeline.article'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='event',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='timeline.event'),
        ),
    ]
