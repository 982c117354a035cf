"""Fixtures shared by the whole suite."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission


@pytest.fixture
def editor(db, django_user_model):
    """A staff user in the Editors group (with the event permissions it grants)."""
    user = django_user_model.objects.create_user("editor", password="editor-pass-123", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Editors")
    if not group.permissions.exists():
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="timeline")
        )
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
