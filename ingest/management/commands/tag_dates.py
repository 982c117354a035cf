"""`manage.py tag_dates DOCS.jsonl > PRED.jsonl`: TempEval-3 style date tagging."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ingest.extraction.tempeval import tag_documents


class Command(BaseCommand):
    help = (
        "Read {doc, dct, text} lines (score.py dump) and write {doc, start, end, value, type} "
        "lines (score.py score). Touches no database."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("docs", help="JSONL file of {doc, dct, text} records")

    def handle(self, *args, docs: str, **options):
        try:
            with open(docs, encoding="utf-8") as handle:
                records = (json.loads(line) for line in handle if line.strip())
                for prediction in tag_documents(records):
                    self.stdout.write(json.dumps(prediction, ensure_ascii=False))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"cannot read {docs}: {error}") from error
