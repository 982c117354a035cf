"""Run the date tagger over TempEval-3 style documents (JSONL in, JSONL out).

Input lines are ``{"doc", "dct", "text"}`` as written by the benchmark's
``score.py dump``; output lines are ``{"doc", "start", "end", "value", "type",
"text"}`` as ``score.py score`` reads them.  Usage, without Django::

    .venv/bin/python -m ingest.extraction.tempeval DOCS.jsonl > PRED.jsonl
"""
from __future__ import annotations

import json
import sys
from datetime import date
from typing import Iterable, Iterator

from .dates import scan


def anchor_of(dct: str | None) -> date | None:
    """The date part of a document creation time ("1998-02-13T14:26:00")."""
    if not dct:
        return None
    try:
        return date.fromisoformat(dct[:10])
    except ValueError:
        return None


def tag_documents(lines: Iterable[dict]) -> Iterator[dict]:
    """One prediction record per expression of every document."""
    for record in lines:
        text = record["text"]
        # TimeML annotates the two ends of "between X and Y" separately, etc.
        for timex in scan(text, anchor_of(record.get("dct")), timeml=True):
            yield {
                "doc": record["doc"],
                "start": timex.start,
                "end": timex.end,
                "value": timex.value,
                "type": timex.type,
                "text": timex.text,
            }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m ingest.extraction.tempeval DOCS.jsonl > PRED.jsonl",
              file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle if line.strip())
        for prediction in tag_documents(records):
            sys.stdout.write(json.dumps(prediction) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
