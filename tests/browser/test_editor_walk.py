"""An editor's walk in Chromium: log in, review the queue, publish, merge, see the result."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import make_article, make_event, make_evidence
from timeline.models import Event, Tombstone

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]

KHARKIV_A = "Russian forces shelled Kharkiv on Monday, killing seven people."
KHARKIV_B = "Kharkiv came under heavy artillery fire on Monday, the governor said."


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def select_rows(page, events) -> None:
    for event in events:
        page.locator(f'#result_list input.action-select[value="{event.pk}"]').check()


def run_action(page, name: str) -> None:
    page.locator('select[name="action"]').first.select_option(name)
    page.locator('button[name="index"]').first.click()


@pytest.mark.browser
def test_editor_reviews_publishes_and_merges(live_server, browser, editor):
    ARTIFACTS.mkdir(exist_ok=True)
    odesa = make_event(
        title="Drone strike on Odesa port", status=Event.Status.DRAFT, confidence=0.45,
        evidence_from=[make_article("Drones struck the port of Odesa overnight.")],
    )
    make_event(title="Unclear blast near Sumy", status=Event.Status.DRAFT, confidence=0.2)
    first_article, second_article = make_article(KHARKIV_A), make_article(KHARKIV_B)
    kharkiv_a = make_event(title="Russian forces shelled Kharkiv", confidence=0.7)
    make_evidence(kharkiv_a, first_article, 0, len(KHARKIV_A))
    kharkiv_b = make_event(title="Kharkiv under artillery fire", confidence=0.6)
    make_evidence(kharkiv_b, second_article, 0, len(KHARKIV_B))
    base = live_server.url

    context = browser.new_context()
    page = context.new_page()
    # Log in through the admin's own form.
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-pass-123")
    page.click('input[type="submit"]')
    expect(page.locator("#review-queue-module")).to_contain_text("2 machine-extracted drafts")

    # The queue: the more confident draft first; publish it.
    page.click("#review-queue-link")
    expect(page).to_have_url(re.compile(r"/admin/timeline/event/review/$"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Drone strike on Odesa port")
    expect(rows.nth(1)).to_contain_text("Unclear blast near Sumy")
    select_rows(page, [odesa])
    page.screenshot(path=str(ARTIFACTS / "editor-walk-1-queue.png"), full_page=True)
    run_action(page, "publish_events")
    expect(page.locator("ul.messagelist")).to_contain_text("Published 1 event(s).")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    # Merge the two Kharkiv events from the list of all events.
    page.click("text=All events")
    select_rows(page, [kharkiv_a, kharkiv_b])
    run_action(page, "merge")
    expect(page.locator("h1")).to_contain_text("Merge events")
    expect(page.locator(f"#survivor-{kharkiv_a.pk}")).to_be_checked()
    page.screenshot(path=str(ARTIFACTS / "editor-walk-2-merge.png"), full_page=True)
    page.click('input[value="Merge into the chosen event"]')
    expect(page).to_have_url(re.compile(rf"/admin/timeline/event/{kharkiv_a.pk}/change/$"))
    expect(page.locator("ul.messagelist")).to_contain_text("Merged 2 events")
    page.screenshot(path=str(ARTIFACTS / "editor-walk-3-merged.png"), full_page=True)
    context.close()

    # A reader sees the published draft, and the two Kharkiv events as one.
    reader = browser.new_context().new_page()
    reader.goto(f"{base}/")
    expect(reader.locator(f'a[href="/events/{odesa.pk}/"]')).to_have_count(1)
    expect(reader.locator(f'a[href="/events/{kharkiv_a.pk}/"]')).to_have_count(1)
    expect(reader.locator(f'a[href="/events/{kharkiv_b.pk}/"]')).to_have_count(0)
    expect(reader.get_by_text("Unclear blast near Sumy")).to_have_count(0)
    reader.screenshot(path=str(ARTIFACTS / "editor-walk-4-public.png"), full_page=True)
    # The merged event's old permalink leads to the survivor, which cites both articles.
    reader.goto(f"{base}/events/{kharkiv_b.pk}/")
    expect(reader).to_have_url(re.compile(rf"/events/{kharkiv_a.pk}/$"))
    expect(reader.locator("body")).to_contain_text("killing seven people")
    expect(reader.locator("body")).to_contain_text("heavy artillery fire")
    reader.context.close()

    assert Tombstone.objects.get(event_id=kharkiv_b.pk).merged_into_id == kharkiv_a.pk
    assert Event.objects.get(pk=kharkiv_a.pk).source_count == 2
