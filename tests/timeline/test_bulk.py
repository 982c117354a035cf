"""timeline.bulk: one-statement writes give what Django's and simple_history's bulk calls give."""
from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, transaction
from django.forms.models import model_to_dict

from tests.factories import make_actor, make_article, make_event, make_evidence, make_place
from timeline.bulk import history_of_links, history_of_rows, insert_new, update_rows
from timeline.models import Event, Evidence

pytestmark = pytest.mark.django_db

FIELDS = ["title", "date_start", "place", "locked_fields", "confidence", "verified"]


def _changed(event: Event, n: int, places: list) -> Event:
    event.title = f"Changed 'title' %s {n}"
    event.date_start = date(2025, 5, 9 + n)
    event.place = None if n % 2 else places[n]
    event.locked_fields = [] if n % 2 else ["title", "place"]
    event.confidence = 0.25 * n
    event.verified = bool(n % 2)
    return event


def test_update_rows_writes_what_bulk_update_writes():
    mine = [make_event(title=f"E{n}", date_start=date(2025, 5, 1)) for n in range(4)]
    django = [make_event(title=f"E{n}", date_start=date(2025, 5, 1)) for n in range(4)]
    untouched = make_event(title="Untouched", date_start=date(2025, 5, 1))
    places = [make_place(f"Place {n}") for n in range(4)]
    assert update_rows(Event, [_changed(e, n, places) for n, e in enumerate(mine)], FIELDS) == 4
    Event.objects.bulk_update([_changed(e, n, places) for n, e in enumerate(django)], FIELDS)
    for a, b in zip(mine, django, strict=True):
        a.refresh_from_db()
        b.refresh_from_db()
        assert [getattr(a, f) for f in FIELDS] == [getattr(b, f) for f in FIELDS]
    assert mine[0].locked_fields == ["title", "place"] and mine[1].place is None
    untouched.refresh_from_db()
    assert untouched.title == "Untouched"


def test_update_rows_writes_json_and_batches():
    event = make_event(evidence_from=[make_article() for _ in range(3)])
    rows = list(Evidence.objects.filter(event=event).order_by("id"))
    for n, row in enumerate(rows):
        row.mention = {"rule": "weekday", "n": n, "quote": "it's \"quoted\""}
    assert update_rows(Evidence, rows, ["mention"], batch_size=2) == 3
    assert [e.mention["n"] for e in Evidence.objects.order_by("id")] == [0, 1, 2]


def _history_values(row) -> dict:
    values = model_to_dict(row)
    for key in ("history_id", "history_date", "id"):
        values.pop(key, None)
    return values


def test_history_of_rows_copies_what_bulk_history_create_writes():
    event = make_event(title="Strike", place=make_place("Odesa"), actors=[make_actor("Navy")],
                       evidence_from=[make_article(), make_article()])
    evidence = list(Evidence.objects.filter(event=event).order_by("id"))
    Evidence.history.all().delete()
    expected = [_history_values(r) for r in Evidence.history.bulk_history_create(evidence)]
    Evidence.history.all().delete()
    copied = history_of_rows(Evidence, [e.pk for e in evidence], "+")
    assert sorted(pk for _, pk in copied) == [e.pk for e in evidence]
    rows = Evidence.history.order_by("id")
    assert [_history_values(r) for r in rows] == expected
    assert [r.history_change_reason for r in rows] == ["", ""]


def test_history_of_links_snapshots_the_actors_under_each_row():
    event = make_event(actors=[make_actor("Navy"), make_actor("Army")])
    bare = make_event()
    rows = history_of_rows(Event, [event.pk, bare.pk], "~")
    snapshot = apps.get_model("timeline", "HistoricalEvent_actors")
    history_of_links(snapshot, Event.actors.through, "event_id", "actor_id", rows)
    latest = event.history.latest()
    assert latest.history_type == "~"
    assert sorted(a.actor.name for a in latest.actors.all()) == ["Army", "Navy"]
    assert list(bare.history.latest().actors.all()) == []


def test_insert_new_inserts_what_is_not_there_and_sets_the_pks():
    event = make_event(evidence_from=[make_article()])
    (stored,) = Evidence.objects.all()
    article = make_article()
    rows = [
        Evidence(event=event, article=stored.article, char_start=stored.char_start,
                 char_end=stored.char_end, quote="again"),  # already there: skipped
        Evidence(event=event, article=article, char_start=0, char_end=5, quote="it's",
                 anchor_date=None, mention={"cue": 'a "cue"', "n": [1, None]}),
        Evidence(event=event, article=article, char_start=9, char_end=12, quote="new",
                 anchor_date=date(2025, 5, 1)),
    ]
    added = insert_new(Evidence, rows, ("event_id", "article_id", "char_start"), batch_size=2)
    assert added == rows[1:] and rows[0].pk is None
    assert [(e.quote, e.mention, e.anchor_date) for e in Evidence.objects.filter(article=article)
            .order_by("char_start")] == [("it's", {"cue": 'a "cue"', "n": [1, None]}, None),
                                         ("new", {}, date(2025, 5, 1))]
    assert {e.pk for e in added} == set(
        Evidence.objects.filter(article=article).values_list("pk", flat=True)
    )


def test_insert_new_writes_each_row_its_json_as_a_save_does():
    event = make_event()
    article = make_article()
    mentions = [
        {"quote": 'he said "no" \\ then \'yes\'', "actors": ["Kyiv", "\u201cthe army\u201d"]},
        {},
        {"n": 1.5, "ok": True, "none": None, "nested": {"list": [[], {}]}},
        {"text": "null"},
    ]
    rows = [
        Evidence(event=event, article=article, char_start=n, char_end=n + 1, quote="q",
                 mention=mention)
        for n, mention in enumerate(mentions)
    ]

    insert_new(Evidence, rows, ("event_id", "article_id", "char_start"), batch_size=3)

    stored = Evidence.objects.filter(article=article).order_by("char_start")
    assert [e.mention for e in stored] == mentions
    saved = make_evidence(event, article, 10, 11, mention=mentions[0])
    assert Evidence.objects.filter(mention=mentions[0]).count() == 2, "stored as a save stores it"
    # None is SQL NULL, as a save writes it: refused by the column, not stored as JSON null.
    refused = Evidence(event=event, article=article, char_start=20, char_end=21, quote="q",
                       mention=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(Evidence, [refused], ("event_id", "article_id", "char_start"))
    with pytest.raises(IntegrityError), transaction.atomic():
        saved.mention = None
        saved.save()


def test_insert_new_refuses_array_columns():
    with pytest.raises(ValueError, match="array columns"):
        insert_new(Event, [Event(title="x", date_start=date(2025, 5, 1))], ("id",))


def test_too_long_text_is_refused_not_cut():
    event = make_event()
    article = make_article()
    long = Evidence(event=event, article=article, char_start=0, char_end=5, quote="q",
                    speaker="x" * 201)
    with pytest.raises(DataError), transaction.atomic():
        insert_new(Evidence, [long], ("event_id", "article_id", "char_start"))
    event.title = "t" * 301
    with pytest.raises(DataError), transaction.atomic():
        update_rows(Event, [event], ["title"])
