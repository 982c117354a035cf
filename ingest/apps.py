from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = "Ingest"

    def ready(self) -> None:
        from ingest.broker import ensure_broker_dirs
        from ingest.lexicon_store import connect_signals

        connect_signals()
        ensure_broker_dirs()
