"""Keep a Tombstone for every deleted event, however it was deleted (admin, bulk, shell)."""
from __future__ import annotations

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from timeline.models import Event, Tombstone


@receiver(pre_delete, sender=Event, dispatch_uid="timeline.remember_deleted_evidence")
def remember_deleted_evidence(sender, instance: Event, **kwargs) -> None:
    # The evidence rows go with the event (cascade); remember where they pointed.
    instance._evidence_keys = [
        f"{article_id}:{start}"
        for article_id, start in instance.evidence.values_list("article_id", "char_start")
    ]


@receiver(post_delete, sender=Event, dispatch_uid="timeline.tombstone_deleted_event")
def tombstone_deleted_event(sender, instance: Event, **kwargs) -> None:
    # A merge writes its own tombstone (reason "merged") before deleting; keep that one.
    Tombstone.objects.get_or_create(
        event_id=instance.pk,
        defaults={"reason": "deleted", "evidence_keys": getattr(instance, "_evidence_keys", [])},
    )
