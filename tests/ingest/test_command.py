"""manage.py ingest and reextract: a batch with bad files goes on and says why each failed."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.ingest.conftest import article_html
from timeline.models import Article, Event, Evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dictionary")]

GOOD = (
    "TRIPOLI, February 10, 2025 (AFP) - Libyan National Army forces shelled districts of "
    "Misrata on Sunday, local officials said. Egypt called on both sides to protect "
    "civilians. Residents described long queues at the few bakeries still open."
)




def run(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, "--sync", "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def batch(tmp_path, settings):
    settings.FETCH_MAX_BYTES = 50_000
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "empty.txt").write_text("   \n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (folder / "latin1.txt").write_bytes("Caf\xe9 bomb\xe9".encode("latin-1"))
    (folder / "huge.txt").write_text("word " * 20_000)
    (folder / "broken.html").write_text(
        article_html(body=GOOD.replace("Misrata", "Benghazi")).replace("</p>", "")
    )
    (folder / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "two.jsonl").write_text(
        "\n".join(
            json.dumps({"title": f"Wire {n}", "maintext": GOOD.replace("Sunday", day)})
            for n, day in ((1, "Saturday"), (2, "Friday"))
        )
    )
    (folder / "notes.csv").write_text("ignored,because,not an article format")
    return folder


def test_a_batch_with_bad_files_goes_on_and_names_each_reason(batch, tmp_path):
    out = run(str(batch), str(tmp_path / "missing"))
    assert "9 article(s): 4 done, 5 failed, 0 still queued; 0 already stored." in out
    reasons = dict(
        Article.objects.filter(status="failed").values_list("source_name", "error")
    )
    by_name = {name.rsplit("/", 1)[-1]: error for name, error in reasons.items()}
    assert by_name == {
        "empty.txt": "empty",
        "binary.txt": "binary data, not text",
        "latin1.txt": "not valid UTF-8 text (byte 3 cannot be decoded)",
        "huge.txt": "too large (100,000 bytes; the limit is 50,000)",
        "menu.html": "no article text found in the page (only 4 characters)",
    }
    assert f"not ingested: {tmp_path / 'missing'}: no such file or folder" in out
    for name in ("empty.txt", "binary.txt", "latin1.txt", "huge.txt", "menu.html"):
        assert f"/{name}: {by_name[name]}" in out
    done = Article.objects.filter(status="done")
    assert sorted(a.title for a in done if a.title) == ["Shelling hits a village", "Wire 1", "Wire 2"]
    assert not Evidence.objects.filter(article__status="failed").exists()
    assert "Events:" in out


def test_ingesting_the_same_batch_again_adds_nothing(batch):
    run(str(batch))
    counts = (Article.objects.count(), Event.objects.count(), Evidence.objects.count())
    out = run(str(batch))
    assert "Events: 0 added, 0 merged into existing events." in out
    assert (Article.objects.count(), Event.objects.count(), Evidence.objects.count()) == counts


def test_no_input_is_a_usage_error():
    with pytest.raises(CommandError):
        call_command("ingest")
    with pytest.raises(CommandError, match="--timeout must be a positive"):
        call_command("ingest", "x", "--wait", "--timeout", "0")


def test_reextract_adds_nothing_twice_and_keeps_what_an_editor_set(batch):
    run(str(batch))
    event = Event.objects.order_by("id").first()
    Event.objects.filter(pk=event.pk).update(title="Checked by an editor", locked_fields=["title"])
    evidence = sorted(Evidence.objects.values_list("event_id", "article_id", "char_start"))
    for _ in range(2):
        out = StringIO()
        call_command("reextract", "--all", "--sync", "--no-progress", stdout=out)
        assert "re-extract" in out.getvalue()
    assert sorted(Evidence.objects.values_list("event_id", "article_id", "char_start")) == evidence
    assert Event.objects.get(pk=event.pk).title == "Checked by an editor"
    assert set(Article.objects.values_list("status", flat=True)) == {"done", "failed"}


def test_reextract_by_default_takes_articles_of_another_extractor_version(batch):
    run(str(batch))
    Article.objects.filter(status="done").update(extractor_version="old")
    out = StringIO()
    call_command("reextract", "--sync", "--no-progress", stdout=out)
    assert "4 article(s) to re-extract" in out.getvalue()
    assert not Article.objects.filter(extractor_version="old").exists()
