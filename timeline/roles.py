"""The editors' role: the one group whose members review, correct, merge and publish events."""
from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

EDITORS_GROUP = "Editors"

# Exactly what the workbench needs. Editors decide what the public sees (events, their
# evidence and claims, in full), keep the vocabularies that extraction reads (actors,
# places, outlets, event keywords) but do not delete them, since events point at them,
# and only read articles (ingest writes them) and tombstones (merges and deletions write them).
EDITOR_PERMISSIONS: tuple[str, ...] = (
    "timeline.view_event",
    "timeline.add_event",
    "timeline.change_event",
    "timeline.delete_event",
    "timeline.view_evidence",
    "timeline.add_evidence",
    "timeline.change_evidence",
    "timeline.delete_evidence",
    "timeline.view_claim",
    "timeline.add_claim",
    "timeline.change_claim",
    "timeline.delete_claim",
    "timeline.view_actor",
    "timeline.add_actor",
    "timeline.change_actor",
    "timeline.view_place",
    "timeline.add_place",
    "timeline.change_place",
    "timeline.view_outlet",
    "timeline.add_outlet",
    "timeline.change_outlet",
    "timeline.view_eventkeyword",
    "timeline.add_eventkeyword",
    "timeline.change_eventkeyword",
    "timeline.delete_eventkeyword",
    "timeline.view_article",
    "timeline.view_tombstone",
)


def editor_permissions() -> tuple[str, ...]:
    """Timeline's EDITOR_PERMISSIONS plus those other apps ask for.

    An app whose admin pages editors use declares them on its AppConfig
    (`editor_permissions = ("ingest.add_ingestjob", ...)`), so timeline needs to know
    nothing of it.
    """
    wanted = list(EDITOR_PERMISSIONS)
    for app_config in global_apps.get_app_configs():
        wanted.extend(getattr(app_config, "editor_permissions", ()))
    return tuple(dict.fromkeys(wanted))


def ensure_editors_group(permissions: tuple[str, ...] | None = None, apps=global_apps):
    """The Editors group, holding exactly `permissions` (created or corrected; idempotent).

    `permissions` defaults to editor_permissions(); `apps` is the app registry (a
    migration passes its historical one).
    """
    permissions = editor_permissions() if permissions is None else permissions
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    labels = sorted({p.split(".", 1)[0] for p in permissions})
    for label in labels:
        # On a fresh database a migration runs before post_migrate has created any
        # permission; creating them here is harmless when they exist.
        app_config = global_apps.get_app_config(label)
        create_permissions(app_config, verbosity=0, apps=apps)
    wanted = set(permissions)
    with transaction.atomic():
        found = list(
            Permission.objects.filter(content_type__app_label__in=labels).select_related(
                "content_type"
            )
        )
        chosen = [p for p in found if f"{p.content_type.app_label}.{p.codename}" in wanted]
        missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in chosen}
        if missing:
            raise ImproperlyConfigured(f"Unknown permissions for editors: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
        group.permissions.set(chosen)
    return group
