"""A reader's walk through the timeline in Chromium: filter, go back, expand, open, download.

Articles arrive through timeline.services.record_events, the write path the ingest
pipeline uses, with fixed extractions so the walk knows what it will see.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import ExtractedStub, make_article, make_outlet, make_place, mention_of
from timeline.services import record_events

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
# Each payload, if it ever ran, would set window.__xss; CSP violations are recorded too.
XSS_TITLE = '<script>window.__xss = "title"</script>Strike report'
XSS_TEXT = (
    "KHERSON, June 4.\n"
    'Drones hit the <b>river port</b> <img src=x onerror="window.__xss=\'img\'"> on Monday '
    "<script>window.__xss = 'text'</script> officials said.\n"
    "<iframe src=\"javascript:window.__xss='frame'\"></iframe> End of report."
)


def ingest(text: str, title: str, published: date, *events: tuple[str, date, str, str]) -> None:
    """One article and the events found in it: (quote, date, type, place)."""
    article = make_article(text, title=title, published_on=published,
                           url=f"https://news.example/{published}/{len(text)}",
                           outlet=make_outlet(name=f"Daily {published:%B}"))
    record_events(article, [
        ExtractedStub(date_start=day, title=quote.rstrip("."), event_type=kind, place=place,
                  actors=("Russia",) if kind == "ASSAULT" else ("Ukraine", "Russia"),
                  mentions=(mention_of(text, quote),))
        for quote, day, kind, place in events
    ], extractor_version="test-1")


def populate() -> None:
    make_place("Kherson", country="Ukraine", latitude=46.635, longitude=32.617)
    make_place("Istanbul", country="Turkey", latitude=41.01, longitude=28.98)
    make_place("Kharkiv", country="Ukraine", latitude=49.99, longitude=36.23)
    june = (
        "KYIV, June 4.\n"
        "Russian forces shelled the port of Kherson on Monday, killing three people.\n"
        "Delegations met in Istanbul on Tuesday to discuss a prisoner exchange."
    )
    ingest(june, "Port shelled, talks in Istanbul", date(2025, 6, 4),
           ("Russian forces shelled the port of Kherson on Monday, killing three people.",
            date(2025, 6, 2), "ASSAULT", "Kherson"),
           ("Delegations met in Istanbul on Tuesday to discuss a prisoner exchange.",
            date(2025, 6, 3), "CONSULT", "Istanbul"))
    july = "KHARKIV, July 9.\nMissiles struck an industrial area of Kharkiv on Tuesday night."
    ingest(july, "Missiles on Kharkiv", date(2025, 7, 9),
           ("Missiles struck an industrial area of Kharkiv on Tuesday night.",
            date(2025, 7, 8), "ASSAULT", "Kharkiv"))
    hostile_quote = XSS_TEXT.split("\n")[1]
    article = make_article(XSS_TEXT, title=XSS_TITLE, published_on=date(2025, 6, 4),
                           url="javascript:window.__xss='link'")
    record_events(article, [ExtractedStub(
        date_start=date(2025, 6, 2), title=XSS_TITLE, event_type="ASSAULT", place="Kherson",
        mentions=(mention_of(XSS_TEXT, hostile_quote),),
    )], extractor_version="test-1")


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def event_titles(page) -> list[str]:
    return page.locator(".event-title a").all_inner_texts()


def no_script_ran(page) -> None:
    assert page.evaluate("window.__xss === undefined")


@pytest.mark.browser
def test_reader_filters_goes_back_expands_opens_and_downloads(live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    populate()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    violations: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(f"{live_server.url}/")
    everything = [
        "Russian forces shelled the port of Kherson on Monday, killing three people",
        XSS_TITLE,
        "Delegations met in Istanbul on Tuesday to discuss a prisoner exchange",
        "Missiles struck an industrial area of Kharkiv on Tuesday night",
    ]
    assert event_titles(page) == everything
    expect(page.locator(".histogram svg a")).to_have_count(3)  # days with events: 2, 3 June, 8 July
    expect(page.locator(".map circle")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "timeline-1280.png"), full_page=True)
    # A marker that a full page load would wipe out.
    page.evaluate("window.__stillHere = true")

    # Filter by type: the list changes in place and the URL follows.
    page.get_by_label("Consult").check()
    page.wait_for_url(f"{live_server.url}/?event_type=CONSULT")
    expect(page.locator(".event-title a")).to_have_count(1)
    assert event_titles(page) == [everything[2]]
    assert page.evaluate("window.__stillHere === true")

    # Then by dates, on the whole set of types again.
    page.get_by_label("Consult").uncheck()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".event-title a")).to_have_count(4)
    page.get_by_label("Assault").check()
    page.wait_for_url(f"{live_server.url}/?event_type=ASSAULT")
    page.get_by_label("From").fill("2025-07-01")
    page.wait_for_url(f"{live_server.url}/?date_from=2025-07-01&event_type=ASSAULT")
    expect(page.locator(".event-title a")).to_have_count(1)
    assert event_titles(page) == [everything[3]]
    assert page.evaluate("window.__stillHere === true")

    # Back: the previous list (Assault, any date) comes back with its URL.
    page.go_back()
    page.wait_for_url(f"{live_server.url}/?event_type=ASSAULT")
    expect(page.locator(".event-title a")).to_have_count(3)
    assert event_titles(page) == [everything[0], everything[1], everything[3]]
    expect(page.get_by_label("Assault")).to_be_checked()
    page.go_back()  # Consult unchecked, nothing else: everything
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".event-title a")).to_have_count(4)
    page.go_back()
    page.wait_for_url(f"{live_server.url}/?event_type=CONSULT")
    expect(page.locator(".event-title a")).to_have_count(1)

    # Expand the sources of the event, loaded on demand.
    page.goto(f"{live_server.url}/?event_type=ASSAULT")
    first = page.locator("article.event").first
    first.locator("summary").click()
    quote = first.locator("blockquote.quote")
    expect(quote).to_have_text(
        "Russian forces shelled the port of Kherson on Monday, killing three people."
    )
    expect(first.locator(".why-date")).to_contain_text("written “on Monday”")

    # The hostile article's sources, expanded: shown as text, nothing runs.
    hostile = page.locator("article.event").nth(1)
    hostile.locator("summary").click()
    expect(hostile.locator("blockquote.quote")).to_contain_text("<script>window.__xss = 'text'</script>")
    expect(hostile.locator("img")).to_have_count(0)
    no_script_ran(page)

    # Open the event page: the quote is marked inside its paragraph.
    first.locator(".event-title a").click()
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    expect(page.locator("h1")).to_have_text(everything[0])
    expect(page.locator("blockquote.in-context mark")).to_have_text(
        "Russian forces shelled the port of Kherson on Monday, killing three people."
    )
    expect(page.locator(".coords")).to_have_text("(46.635° N, 32.617° E)")
    page.screenshot(path=str(ARTIFACTS / "event-1280.png"), full_page=True)

    # The hostile event's page: its title, quote and paragraph are text.
    page.goto(f"{live_server.url}/?q=drones")
    page.locator(".event-title a").first.click()
    expect(page.locator("h1")).to_have_text(XSS_TITLE)
    expect(page.locator("blockquote.in-context mark")).to_contain_text('<img src=x onerror=')
    expect(page.locator("main img, main iframe, main script")).to_have_count(0)
    no_script_ran(page)

    # Download the CSV of the current filter.
    page.goto(f"{live_server.url}/?event_type=ASSAULT&date_from=2025-07-01")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [row["title"] for row in rows] == [everything[3]]

    # 360 px wide: the same page, readable.
    small = browser.new_context(viewport={"width": 360, "height": 780})
    phone = small.new_page()
    phone.goto(f"{live_server.url}/?event_type=ASSAULT")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(ARTIFACTS / "timeline-360.png"), full_page=True)
    phone.locator(".event-title a").first.click()
    phone.wait_for_url(re.compile(r"/events/\d+/$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(ARTIFACTS / "event-360.png"), full_page=True)
    no_script_ran(phone)
    small.close()

    assert dialogs == []
    # The payloads were escaped, so the policy never had to block anything.
    assert violations == []
    context.close()


@pytest.mark.browser
def test_with_javascript_off_the_form_is_a_plain_get(live_server, browser):
    populate()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Consult").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"event_type=CONSULT"))
    assert event_titles(page) == [
        "Delegations met in Istanbul on Tuesday to discuss a prisoner exchange"
    ]
    # Without htmx the sources are one link away, on the event's page.
    page.locator("article.event summary").first.click()
    page.get_by_role("link", name="Read the sources on the event’s page").click()
    page.wait_for_url(re.compile(r"/events/\d+/#sources$"))
    expect(page.locator("blockquote.in-context mark")).to_have_count(1)
    context.close()
