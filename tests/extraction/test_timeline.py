"""The whole extractor: files in, scored timeline out; robustness on any text."""
import importlib.util
import json
import pathlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extraction import extract_timeline, load_starter_lexicon, read_article_file
from ingest.extraction.__main__ import main
from ingest.extraction.events import extract_mentions
from ingest.extraction.formats import read_paths, timeline_to_json
from ingest.extraction.types import ArticleInput

LEX = load_starter_lexicon()
HERE = pathlib.Path(__file__).parent
SHARED = pathlib.Path("/work/shared") if pathlib.Path("/work/shared").is_dir() else \
    pathlib.Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_timeline",
                                                  SHARED / "eval" / "score_timeline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed articles are not here")
def test_seed_articles_score_full_f1_against_the_gold_timeline():
    events = extract_timeline(read_paths([SEEDS]), LEX, date(2026, 11, 22))
    scorer = _scorer()
    result = scorer.score(scorer.load_events(str(SHARED / "gold" / "seed-events.json")),
                          timeline_to_json(events)["events"], scorer.Articles(str(SEEDS)), [])
    assert result["f1"] == 1.0
    assert result["duplicates"] == 0
    assert result["quotes_verbatim"] == 1.0
    assert result["source_recall"] >= 0.95
    assert result["core_correct"] == "6/6"


def _own_timeline():
    return timeline_to_json(extract_timeline(read_paths([HERE / "articles"]), LEX,
                                             date(2025, 6, 30)))["events"]


def test_own_articles_give_the_expected_dated_events():
    got = {(e["date"], e["event_type"], tuple(sorted(ev["article"] for ev in e["evidence"])))
           for e in _own_timeline()}
    assert ("2024-09-10", "ASSAULT", ("sudan_repost.txt", "sudan_repost.txt", "sudan_wire.txt",
                                      "sudan_wire.txt")) in got
    assert ("2024-09-08", "ASSAULT", ("sudan_repost.txt", "sudan_wire.txt",
                                      "sudan_wire.txt")) in got
    assert ("2023-10-09", "ASSAULT", ("gaza_record.json",)) in got
    assert ("2023-10-11", "CONSULT", ("gaza_record.json",)) in got
    assert ("2025-05-13", "ASSAULT", ("border_clash.txt",)) in got


def test_own_articles_give_no_event_for_plans_or_possibilities():
    quotes = [ev["quote"] for e in _own_timeline() for ev in e["evidence"]]
    assert not any("could launch" in q or "will meet" in q or "may open" in q or
                   "expected to visit" in q for q in quotes)


def test_undated_repost_takes_its_date_from_the_wire_story_and_is_flagged():
    events = _own_timeline()
    [cairo] = [e for e in events if e["date"] == "2024-09-09"]
    assert {ev["article"] for ev in cairo["evidence"]} == {"sudan_repost.txt", "sudan_wire.txt"}


def test_two_calls_on_one_wednesday_stay_two_events():
    calls = [e for e in _own_timeline()
             if e["date"] == "2025-05-14" and e["event_type"] == "CONSULT"]
    assert len(calls) == 2


def test_quotes_are_exact_substrings_of_the_files():
    for event in _own_timeline():
        for ev in event["evidence"]:
            [article] = [a for a in read_paths([HERE / "articles"]) if a.key == ev["article"]]
            assert article.text[ev["char_start"]:ev["char_end"]] == ev["quote"]


def test_news_please_record_is_read_with_its_publication_date(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"title": "T", "maintext": "Body.", "date_publish": "2024-01-02",
                                "url": "https://a.example/x"}) + "\n", encoding="utf-8")
    [article] = read_article_file(path)
    assert (article.key, article.text, article.metadata["date_publish"]) == (
        "x.jsonl", "Body.", "2024-01-02")


def test_html_page_is_read_through_trafilatura(tmp_path):
    path = tmp_path / "page.html"
    body = " ".join(["Rebels shelled the town of Kadugli on Monday, killing five people."] * 6)
    path.write_text(f"<html><head><title>Shelling</title></head><body><article><p>{body}</p>"
                    "</article></body></html>", encoding="utf-8")
    [article] = read_article_file(path)
    assert "Kadugli" in article.text


def test_command_line_prints_the_evaluation_json(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("KYIV, June 4 (Reuters) - Russia's missile strikes on "
                                    "Kharkiv on Tuesday killed three people.", encoding="utf-8")
    assert main([str(tmp_path), "--json", "--today", "2025-06-30"]) == 0
    [event] = json.loads(capsys.readouterr().out)["events"]
    assert (event["date"], event["event_type"]) == ("2025-06-03", "ASSAULT")
    assert event["evidence"][0]["article"] == "a.txt"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
       st.sampled_from(["", " on Tuesday", " on May 3", " Putin met Erdogan on Monday."]))
def test_extraction_never_raises_and_quotes_are_exact(text, tail):
    article = ArticleInput("x.txt", text + tail)
    _, mentions = extract_mentions(article, LEX, date(2026, 1, 1))
    for m in mentions:
        assert article.text[m.char_start:m.char_end] == m.quote
        assert 0 < len(m.quote) <= 600
    extract_timeline([article], LEX, date(2026, 1, 1))
