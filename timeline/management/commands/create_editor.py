"""Create (or update) an editor account: staff, in the Editors group."""
from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or update an editor login (EDITOR_USERNAME / EDITOR_PASSWORD by default)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("EDITOR_USERNAME", "editor"))
        parser.add_argument("--password", default=os.environ.get("EDITOR_PASSWORD"))
        parser.add_argument("--superuser", action="store_true", help="also grant everything")

    def handle(self, *args, username: str, password: str | None, superuser: bool, **options):
        if not password:
            raise CommandError("give --password or set EDITOR_PASSWORD")
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = user.is_superuser or superuser
        user.set_password(password)
        user.save()
        group = Group.objects.filter(name="Editors").first()
        if group is None:
            raise CommandError("the Editors group is missing: run `manage.py setup_roles` first")
        user.groups.add(group)
        self.stdout.write(f"editor {username!r} {'created' if created else 'updated'}")
