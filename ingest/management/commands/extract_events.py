"""`manage.py extract_events PATH... [--json]`: the timeline of those files alone."""
from __future__ import annotations

from contextlib import redirect_stdout

from django.core.management.base import BaseCommand, CommandError

from ingest.extraction.__main__ import main as extract_main


class Command(BaseCommand):
    help = (
        "Print the timeline built from these files alone (.txt, .html, news-please .json/.jsonl), "
        "in the evaluation format with --json. Touches no database."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="article files or folders of them")
        parser.add_argument("--json", action="store_true", help="print the evaluation JSON")
        parser.add_argument("--today", help="reference day (YYYY-MM-DD) for undated articles")

    def handle(self, *args, paths: list[str], json: bool, today: str | None, **options):
        argv = [*paths, *(["--json"] if json else []), *(["--today", today] if today else [])]
        try:
            # The CLI prints to sys.stdout; send it to this command's raw stream.
            with redirect_stdout(self.stdout._out):
                code = extract_main(argv)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if code:
            raise CommandError(f"extraction failed with status {code}")
