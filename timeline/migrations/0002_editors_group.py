"""Create the Editors group with the permissions the workbench needs.

The list is frozen here as it was when this migration was written; later changes to
timeline.roles.EDITOR_PERMISSIONS reach existing databases through `manage.py setup_roles`.
"""
from django.db import migrations

EDITOR_PERMISSIONS = (
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


def create_editors_group(apps, schema_editor):
    from timeline.roles import ensure_editors_group

    ensure_editors_group(EDITOR_PERMISSIONS, apps=apps)


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
