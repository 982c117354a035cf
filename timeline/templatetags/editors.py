"""Template tags of the editors' admin pages."""
from __future__ import annotations

from django import template

from timeline.editing import review_queue

register = template.Library()


@register.simple_tag
def review_queue_count() -> int:
    """Drafts waiting for an editor (counted on the partial index of the queue)."""
    return review_queue().count()
