"""Which stored events a chunk's mentions read as merge candidates (extracting._windows):
their own days for dated mentions, the events a reference may name for undated ones, and
nothing that merging would have used is left out."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.db.models import Q

from ingest import extracting, pipeline
from ingest.extracting import RelatedDates, as_candidates, merge_readings, read_article
from ingest.extraction import read_article_file
from ingest.extraction.types import Mention
from ingest.jobs import add_text, chunks, start_job
from ingest.models import IngestJob
from tests.factories import make_article, make_event, make_evidence
from tests.ingest.corpus import make_corpus
from tests.ingest.workers import SEEDS
from tests.timeline.test_date_spans import plan_with_only
from timeline.models import SHORT_SPAN_DAYS, Article, Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dictionary")]

DAY = date(2025, 6, 20)


def _mention(event_type: str, day: date | None, cue: str, **fields) -> Mention:
    return Mention(
        article="new", quote=cue, char_start=0, char_end=len(cue), date_start=day,
        date_end=fields.pop("date_end", None), precision="day" if day else "",
        date_text="", rule="", anchor=fields.pop("anchor", DAY), event_type=event_type,
        cue=cue, **fields,
    )


def _stored(event_type: str, day: date, quote: str, **fields) -> Event:
    """An event with one piece of evidence, its mention as the extractor stores it."""
    mention = {"actors": [], "cue": "", **fields.pop("mention", {})}
    event = make_event(event_type=event_type, date_start=day, title=quote, **fields)
    article = make_article(quote)
    make_evidence(event, article, 0, len(quote), mention=mention)
    return event


def _candidates(*mentions: Mention) -> set[int]:
    return {event.existing_id for event in extracting._stored_candidates(mentions)}


def test_a_dated_mention_reads_its_family_on_its_days_and_a_day_either_side():
    same_day = _stored("ASSAULT", DAY, "Shells fell on the market.")
    day_after = _stored("COERCE", DAY + timedelta(days=1), "A blockade of the port.")
    running_into_it = _stored(
        "ASSAULT", DAY - timedelta(days=9), "A week of shelling.", date_end=DAY, precision="range"
    )
    _stored("ASSAULT", DAY + timedelta(days=2), "Shells fell on the school.")
    _stored("CONSULT", DAY, "The ministers met in Cairo.")
    rejected = _stored("ASSAULT", DAY, "Shells fell on the depot.")
    Event.objects.filter(pk=rejected.pk).update(status=Event.Status.REJECTED)

    found = _candidates(_mention("ASSAULT", DAY, "shelled the market"))

    assert found == {same_day.pk, day_after.pk, running_into_it.pk}


def test_a_dated_mention_reads_the_long_and_the_recent_events_running_into_its_days():
    low = DAY - timedelta(days=1)  # the window's first day

    def lasting(before: int, length: int) -> Event:
        start = low - timedelta(days=before)
        return _stored(
            "ASSAULT", start, f"Shelling from {before} days before, for {length} days.",
            date_end=start + timedelta(days=length), precision="range",
        )

    running_into_it = [
        lasting(1, 1), lasting(SHORT_SPAN_DAYS, SHORT_SPAN_DAYS),
        lasting(SHORT_SPAN_DAYS + 1, SHORT_SPAN_DAYS + 1), lasting(400, 500),
    ]
    lasting(SHORT_SPAN_DAYS + 1, SHORT_SPAN_DAYS)  # ends the day before the window
    lasting(2, 1)

    found = _candidates(_mention("ASSAULT", DAY, "shelled the market"))

    assert found == {event.pk for event in running_into_it}


def test_the_events_running_into_a_window_from_the_month_before_are_read_from_an_index():
    # Only multi-day events run into a day from before it: the query finds them among
    # those (a partial index, usable only where the query states its condition in the same
    # form), not among every event of that month.
    sql, params = extracting._candidates_query([[_mention("ASSAULT", DAY, "shelled the market")]])

    plan = plan_with_only(
        sql, params, keep=["event_status_multiday", "event_type_multiday", "event_span"]
    )

    assert re.search(
        r"using event_\w+_multiday on .*\n\s+Index Cond: .*date_start >= \(w(_\d+)?\.low - ",
        plan,
    ), plan


def test_a_reference_reads_the_events_of_its_family_that_hold_one_of_its_words():
    plural = _stored("ASSAULT", DAY - timedelta(days=10), "Drones hit two refineries in the port.")
    # A long sentence's quote may cut the cue: the words are looked for in both.
    cue_only = _stored(
        "ASSAULT", DAY - timedelta(days=4), "Drones hit it again.",
        mention={"cue": "the strike on the oil refinery"},
    )
    _stored("ASSAULT", DAY - timedelta(days=3), "Drones hit a market.")  # no shared word
    _stored("ASSAULT", DAY - timedelta(days=60), "Drones hit the refinery.")  # beyond reach
    _stored("CONSULT", DAY - timedelta(days=3), "Talks on the refinery ended.")  # not force

    reference = _mention("ASSAULT", None, "the attack on the refinery")

    assert _candidates(reference) == {plural.pk, cue_only.pk}


def test_a_reference_to_talks_reads_the_talks_that_share_its_people_or_words():
    from timeline.models import Actor

    sudan = Actor.objects.get(name="Sudan")
    rsf = Actor.objects.get(name="Rapid Support Forces")
    with_them = _stored("CONSULT", DAY - timedelta(days=6), "Envoys met in Jeddah.", actors=[sudan])
    # Someone of a mention (beyond the event's own actors) counts too.
    in_a_mention = _stored(
        "ACCUSE", DAY - timedelta(days=2), "A spokesman accused the mediators.",
        mention={"actors": ["Rapid Support Forces"]},
    )
    said_where = _stored("CONSULT", DAY - timedelta(days=3), "Talks in Jeddah resumed.")
    _stored("CONSULT", DAY - timedelta(days=3), "Ministers met in Geneva.")  # nothing shared
    _stored("ASSAULT", DAY - timedelta(days=2), "Shells fell on Jeddah.")  # not talk

    reference = _mention("CONSULT", None, "the Jeddah talks", actors=(rsf.name,))

    assert _candidates(reference) == {with_them.pk, in_a_mention.pk, said_where.pk}
    # "the talks" and "the attacks" name nothing in particular: they read nothing at all.
    assert _candidates(_mention("CONSULT", None, "the talks")) == set()
    assert _candidates(_mention("ASSAULT", None, "the attacks")) == set()


def test_events_of_other_parties_are_not_read():
    from timeline.models import Actor

    sudan = Actor.objects.get(name="Sudan")
    rsf = Actor.objects.get(name="Rapid Support Forces")
    other = Actor.objects.exclude(country__in=["", sudan.country]).first()
    ours = _stored("ASSAULT", DAY, "Shells fell on the market.", actors=[sudan])
    nobody = _stored("ASSAULT", DAY, "Shells fell on the bakery.")
    _stored("ASSAULT", DAY, "Shells fell on the school.", actors=[other])

    found = _candidates(_mention("ASSAULT", DAY, "shelled the market", actors=(rsf.name,)))

    assert found == {ours.pk, nobody.pk}


def _timeline(merged) -> tuple[list, dict]:
    events, unattached = merged
    return sorted(
        (e.existing_id or 0, e.date_start, e.event_type, e.merge_ids,
         tuple(sorted((m.article, m.char_start, m.date_start is None) for m in e.mentions)))
        for e in events
    ), unattached


def _every_event_of_the_parties(mentions, groups=()):
    """The candidates before windows: every stored event of the groups' parties."""
    parties = Q(pk__in=[])
    for group in groups or [mentions]:
        names, countries = extracting._parties(group)
        parties |= Q(actors__name__in=names) | Q(actors__country__in=countries) | Q(
            actors__isnull=True
        )
    events = Event.objects.filter(parties).exclude(status=Event.Status.REJECTED)
    return as_candidates(Event.objects.filter(pk__in=events.values("pk")))


def _same_as_with_every_event(readings, monkeypatch) -> list:
    chosen = _timeline(merge_readings(readings))
    with monkeypatch.context() as patch:
        patch.setattr(extracting, "_stored_candidates", _every_event_of_the_parties)
        assert _timeline(merge_readings(readings)) == chosen
    return chosen[0]


def _add(texts: list[tuple[str, str]]) -> list[Article]:
    job = start_job(IngestJob.Origin.COMMAND)
    ids = [add_text(job, text, title="", source_name=name).article_id for name, text in texts]
    return list(Article.objects.filter(pk__in=ids).order_by("pk"))


def _store(texts: list[tuple[str, str]]) -> None:
    ids = [article.pk for article in _add(texts)]
    for chunk in chunks(ids):
        pipeline.process_articles(chunk)


@pytest.mark.parametrize("held_out", range(5))
def test_a_seed_article_merges_with_the_candidates_as_with_every_stored_event(
    held_out, monkeypatch
):
    """The sample articles' references ("the attacks on the bridges") name events of other
    days and articles: with the candidates the windows read, each article read after the
    others gives the events it gives when merged with every stored event of its parties."""
    files = sorted(SEEDS.glob("*.txt"))
    articles = [(f.name, a.text) for f in files for a in read_article_file(f)]
    new = articles.pop(held_out)
    _store(articles)
    [article] = _add([new])
    reading = read_article(article, date.today(), RelatedDates())
    events = _same_as_with_every_event([reading], monkeypatch)
    assert any(existing for existing, *_ in events)  # it joins stored events


def test_a_chunk_merges_with_the_candidates_as_with_every_stored_event(monkeypatch):
    corpus = [(c.key, c.text) for c in make_corpus(150, seed=3)]
    _store(corpus[:125])
    related = RelatedDates()
    readings = [read_article(article, date(2026, 1, 1), related) for article in _add(corpus[125:])]
    events = _same_as_with_every_event(readings, monkeypatch)
    assert any(existing for existing, *_ in events)


def test_a_mention_stored_as_json_reads_back_as_itself():
    mention = _mention(
        "ASSAULT", DAY, "drones struck the depot", date_end=DAY + timedelta(days=1),
        actors=("Russia", "Ukraine"), place="Kharkiv", agent="Russia", antecedent=4,
    )
    stored = json.loads(json.dumps(extracting.mention_to_json(mention)))
    assert "quote" not in stored and "claims" not in stored
    assert extracting.mention_from_json(stored, "new", mention.quote) == mention
