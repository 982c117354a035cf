"""An editor pastes an article in the admin and watches htmx refresh its progress."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ingest import pipeline
from ingest.management.commands.load_dictionary import load_dictionary
from ingest.models import IngestJob

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
TEXT = (
    "ADEN, March 9, 2025 (AFP) - Houthis fighters attacked positions near Marib on Friday, "
    "killing 6 soldiers, the government spokesman said. Oman called on both sides to stop."
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pasted_text_progress_refreshes_until_finished(live_server, editor):
    ARTIFACTS.mkdir(exist_ok=True)
    load_dictionary()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "editor-pass-123")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/ingest/ingestjob/add/")
        page.fill("#id_title", "Marib")
        page.fill("#id_text", TEXT)
        page.click("#ingest-form input[type=submit]")
        expect(page.locator(".job-status")).to_have_text("Working")
        expect(page.locator(".job-counts")).to_contain_text("0 of 1 processed")

        # A worker's job, done here: htmx's next poll must show it without a reload.
        job = IngestJob.objects.get(origin="admin")
        pipeline.process_article(job.items.get().article_id)
        expect(page.locator(".job-status")).to_have_text("Finished", timeout=10_000)
        expect(page.locator(".job-counts")).to_contain_text("1 of 1 processed (1 done, 0 failed)")
        expect(page.locator(".job-events")).to_contain_text("Events: 1 added")
        assert page.locator("#job-progress").get_attribute("hx-trigger") is None
        page.screenshot(path=str(ARTIFACTS / "ingest-admin-progress.png"), full_page=True)
        browser.close()
