"""The web app in a real headless Chromium (Debian's), driven by Playwright.

A lead signs in, adds an action and writes the narrative and sees both on the strand page; a viewer
cannot edit; a post without the form token is refused; two browsers editing one action end in a
conflict message; screenshots of the overview and a strand page at laptop and tablet sizes are saved
under ``artefacts/screenshots`` for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from crimeprev.delivery.plan import load_delivery
from crimeprev.delivery.tracker import import_actions, import_narrative
from crimeprev.delivery.transfer import drafts_of_narrative, drafts_of_plan
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.accounts import Role
from crimeprev.report.narrative import load_narrative
from crimeprev.store.app_store import open_app_store
from crimeprev.web.app import Settings, create_app
from crimeprev.web.passwords import hash_password

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"
DATA = Path(__file__).parents[2] / "src" / "crimeprev" / "data"
SCREENSHOTS = Path(__file__).parents[2] / "artefacts" / "screenshots"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "tablet": {"width": 820, "height": 1180}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'app.sqlite'}"
    store = open_app_store(url)
    now = datetime.now(UTC)
    for name, role, strands in (
        ("lead.knife", Role.LEAD, ["knife-crime"]),
        ("viewer", Role.VIEWER, []),
        ("analyst", Role.ANALYST, []),
    ):
        store.add_account(name, role, hash_password(PASSWORD), strands, by="admin", now=now)
    strategy = load_strategy(None)
    plan = load_delivery(DATA / "essex-2023-24-delivery.yaml", strategy)
    import_actions(store, drafts_of_plan(plan, "2024-03"), by="admin", now=now)
    narrative = load_narrative(DATA / "essex-2023-24-narrative.yaml", strategy)
    import_narrative(store, drafts_of_narrative(narrative), by="admin", now=now)
    store.close()
    port = _free_port()
    config = uvicorn.Config(create_app(Settings(app_db=url, half_year="2024-03")), port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def sign_in(browser: Browser, server: str, name: str, viewport: dict[str, int] | None = None) -> Page:
    page = browser.new_context(viewport=viewport or VIEWPORTS["laptop"]).new_page()
    page.goto(f"{server}/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/")
    return page


def test_a_lead_adds_an_action_and_writes_the_narrative(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    page.get_by_role("link", name="Knife Crime").first.click()
    page.get_by_label("Title").fill("Knife arches at every railway station")
    page.get_by_label("Owner").fill("Insp Patel")
    page.get_by_label("Half-year (its last month)").select_option("2024-09")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("Action added.").wait_for()
    assert page.get_by_role("cell", name="Knife arches at every railway station", exact=True).is_visible()
    box = page.get_by_label("Lead's commentary (Markdown)")
    box.fill("Possession offences rose after the week of action: more weapons found, not more carried.")
    page.get_by_role("button", name="Save lead's commentary").click()
    page.get_by_text("Narrative saved.").wait_for()
    assert page.get_by_text("more weapons found, not more carried.").first.is_visible()
    assert page.get_by_role("cell", name="Knife arches at every railway station", exact=True).is_visible()


def test_a_viewer_sees_no_form_and_a_post_is_refused(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "viewer")
    page.goto(f"{server}/strands/knife-crime")
    assert page.get_by_role("button", name="Add the action").count() == 0
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(
        f"{server}/strands/knife-crime/actions",
        form={"csrf": token or "", "title": "Not allowed", "half_year": "2024-09"},
    )
    assert refused.status == 403


def test_a_form_post_without_its_token_is_refused(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    refused = page.request.post(
        f"{server}/strands/knife-crime/actions", form={"title": "No token", "half_year": "2024-09"}
    )
    assert refused.status == 403


def test_two_browsers_editing_one_action_end_in_a_conflict_message(browser: Browser, server: str) -> None:
    lead = sign_in(browser, server, "lead.knife")
    analyst = sign_in(browser, server, "analyst")
    for page in (lead, analyst):
        page.goto(f"{server}/strands/knife-crime")
        page.get_by_role("link", name="Edit Knife crime dashboard launched").first.click()
    analyst.get_by_label("Notes").fill("Dashboard shared with every district")
    analyst.get_by_role("button", name="Save").click()
    analyst.get_by_text("Action saved.").wait_for()
    lead.get_by_label("Notes").fill("Dashboard to be reviewed in June")
    lead.get_by_role("button", name="Save").click()
    alert = lead.get_by_role("alert")
    alert.wait_for()
    assert "Not saved: analyst changed this action" in alert.inner_text()
    assert lead.get_by_text("Dashboard shared with every district").first.is_visible()  # theirs, shown
    assert lead.get_by_label("Notes").input_value() == "Dashboard to be reviewed in June"  # mine, kept


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_screenshots_of_the_overview_and_a_strand_page(browser: Browser, server: str, size: str) -> None:
    page = sign_in(browser, server, "analyst", VIEWPORTS[size])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"overview-{size}.png"), full_page=True)
    page.goto(f"{server}/strands/knife-crime")
    page.screenshot(path=str(SCREENSHOTS / f"strand-{size}.png"), full_page=True)
    assert page.get_by_role("heading", name="Delivery actions").is_visible()
    # Nothing wider than the window: no sideways scrolling on a tablet.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
