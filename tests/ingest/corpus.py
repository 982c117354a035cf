"""The benchmark's synthetic corpus generator (bench/ingest_corpus.py), for the tests."""
from __future__ import annotations

import importlib.util
import sys

from django.conf import settings

_path = settings.BASE_DIR / "bench" / "ingest_corpus.py"
_spec = importlib.util.spec_from_file_location("ingest_corpus", _path)
_module = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("ingest_corpus", _module)
_spec.loader.exec_module(_module)

CorpusArticle = _module.CorpusArticle
make_corpus = _module.make_corpus
