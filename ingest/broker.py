"""The filesystem broker's folders, which kombu expects to exist."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings


def ensure_broker_dirs() -> None:
    """Create the queue folders when the broker is kombu's filesystem transport."""
    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
