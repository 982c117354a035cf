"""``python -m ingest.extraction PATH... [--json]``: the timeline built from those files."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from .formats import read_paths, timeline_to_json
from .lexicon import load_starter_lexicon
from .pipeline import extract_timeline


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ingest.extraction", description=__doc__)
    ap.add_argument("paths", nargs="+", help="article files or folders of them")
    ap.add_argument("--json", action="store_true", help="print the evaluation JSON")
    ap.add_argument("--today", type=date.fromisoformat, default=None,
                    help="reference day for undated articles (default: the system date)")
    args = ap.parse_args(argv)
    today = args.today or date.today()  # the wall clock is read here, never in the core
    events = extract_timeline(read_paths(args.paths), load_starter_lexicon(), today)
    if args.json:
        json.dump(timeline_to_json(events), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for e in events:
        when = e.date_start.isoformat() + (f"..{e.date_end.isoformat()}" if e.date_end else "")
        flag = " [review]" if e.needs_review else ""
        print(f"{when}  {e.event_type:<9} {e.title}{flag}")
        for m in e.mentions:
            print(f"    {m.article}: {m.quote[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
