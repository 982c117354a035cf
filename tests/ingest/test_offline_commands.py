"""extract_events and tag_dates work on files alone: no database is touched.

These tests have no `db` mark, so pytest-django fails them on any database query.
"""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ARTICLE = (
    "Border guards clash, talks set\n\n"
    "GENEVA, Thursday, 12 March 2026 - Border guards of the two countries exchanged fire on "
    "Tuesday near the Ruzizi crossing, killing two soldiers, officials said. "
    "Foreign ministers of both governments met in Geneva on Wednesday to discuss a ceasefire.\n"
)


def test_extract_events_prints_the_evaluation_json_of_the_files(tmp_path: Path):
    (tmp_path / "clash.txt").write_text(ARTICLE, encoding="utf-8")
    out = StringIO()
    call_command("extract_events", str(tmp_path), "--json", stdout=out)
    events = json.loads(out.getvalue())["events"]
    assert events, "no event extracted"
    for event in events:
        assert set(event) >= {"date", "precision", "title", "event_type", "evidence"}
        for evidence in event["evidence"]:
            assert evidence["article"] == "clash.txt"
            assert evidence["quote"] in ARTICLE
    dates = {event["date"] for event in events}
    assert "2026-03-10" in dates  # "on Tuesday" before Thursday 12 March 2026


def test_tag_dates_turns_docs_into_timex_predictions(tmp_path: Path):
    text = "The ministers met on Friday and will meet again next month for three days."
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"doc": "d1", "dct": "2013-03-20", "text": text}) + "\n")
    out = StringIO()
    call_command("tag_dates", str(docs), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    by_text = {text[r["start"] : r["end"]]: (r["value"], r["type"]) for r in rows}
    assert by_text["Friday"] == ("2013-03-15", "DATE")
    assert by_text["next month"] == ("2013-04", "DATE")
    assert by_text["three days"] == ("P3D", "DURATION")
    assert all(r["doc"] == "d1" for r in rows)
