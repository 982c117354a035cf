"""Create or correct the Editors group (idempotent; run after every deploy's migrate)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from timeline.roles import EDITORS_GROUP, ensure_editors_group


class Command(BaseCommand):
    help = f"Give the {EDITORS_GROUP!r} group exactly the permissions the editors' workbench needs."

    def handle(self, *args, **options):
        group = ensure_editors_group()
        count = group.permissions.count()
        self.stdout.write(f"group {group.name!r}: {count} permissions")
