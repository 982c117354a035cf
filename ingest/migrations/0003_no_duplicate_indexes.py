"""Foreign keys without an index of their own where a unique constraint begins with the
column (feed_entry_once, ingest_item_once)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0002_second_pass'),
    ]

    operations = [
        migrations.AlterField(
            model_name='feedentry',
            name='feed',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='ingest.feed'),
        ),
        migrations.AlterField(
            model_name='ingestitem',
            name='job',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='ingest.ingestjob'),
        ),
    ]
