"""The web app in a real headless Chromium (Debian's), driven by Playwright, on the demo store.

A lead signs in, adds an action and writes the narrative, sees both on the strand page and in the
DOCX the browser downloads; a viewer cannot edit; a post without the form token is refused; two
browsers editing one action end in a conflict message; the charts are drawn under the page's
security policy (no error in the console); the district filter redraws the figures; person-level
pages are the analysts' and logged; screenshots of the overview and a strand page at laptop and
tablet sizes are saved under ``artefacts/screenshots`` for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
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
def app_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('web') / 'app.sqlite'}"


@pytest.fixture(scope="module")
def server(app_url: str, demo_store: Path) -> Iterator[str]:
    url = app_url
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
    config = uvicorn.Config(
        create_app(Settings(app_db=url, store=demo_store, half_year="2024-03")), port=port, log_level="warning"
    )
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


_SIGNED_IN: dict[tuple[str, str], Any] = {}  # (server, name) -> the browser's cookies after signing in


def sign_in(browser: Browser, server: str, name: str, viewport: dict[str, int] | None = None) -> Page:
    """A page signed in as ``name``: through the sign-in form the first time, then with the session
    it gave (the sign-in form allows ten attempts a minute from one address, and these tests are many)."""
    state = _SIGNED_IN.get((server, name))
    context = browser.new_context(viewport=viewport or VIEWPORTS["laptop"], storage_state=state)
    page = context.new_page()
    if state is not None:
        page.goto(f"{server}/")
        return page
    page.goto(f"{server}/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/")
    _SIGNED_IN[(server, name)] = context.storage_state()
    return page


def test_a_lead_adds_an_action_and_writes_the_narrative(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    page.get_by_role("link", name="Knife Crime").first.click()
    page.get_by_role("textbox", name="Title", exact=True).fill("Knife arches at every railway station")
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
    # ... and both are in the paper the browser downloads now.
    page.get_by_role("link", name="The paper").click()
    page.get_by_label("Formats").select_option("docx")
    page.get_by_role("button", name="Make the paper").click()
    link = page.get_by_role("link", name="Download the DOCX")
    link.wait_for(timeout=300_000)  # the page refreshes itself until the paper is ready
    with page.expect_download() as downloading:
        link.click()
    text = "\n".join(p.text for p in docx.Document(str(downloading.value.path())).paragraphs)
    assert "Knife arches at every railway station" in text
    assert "more weapons found, not more carried." in text


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


def _errors(page: Page) -> list[str]:
    """Every error the page reports to its console (a refused script or style is one)."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_the_charts_are_drawn_under_the_security_policy(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "viewer")
    errors = _errors(page)
    page.goto(f"{server}/strands/knife-crime")
    chart = page.locator("#chart-knife-crime-knife_crime_offences svg")
    chart.wait_for()
    assert page.locator(".vega-chart svg").count() == page.locator(".vega-chart").count() >= 2
    # 24 monthly bars: the same specification as the paper's chart, from the store's figures
    assert chart.locator("g.mark-rect path").count() == 24
    assert page.get_by_role("img", name="Bar chart of Knife crime offences for each month").count() == 1
    assert errors == []


def test_the_district_filter_redraws_the_figures(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "viewer")
    errors = _errors(page)
    page.goto(f"{server}/strands/knife-crime")
    page.get_by_label("Area").select_option("Basildon")
    page.get_by_role("button", name="Show the figures").click()
    page.get_by_role("heading", name="The figures in Basildon").wait_for()
    assert page.url.endswith("/strands/knife-crime?district=Basildon")
    # The demo's Basildon: 344 knife crime offences in the previous 12 months, 317 in the 12 to March 2024.
    table = page.get_by_role("table").filter(has_text="Knife crime offences").first
    assert "344" in table.inner_text() and "317" in table.inner_text()
    page.locator("#chart-knife-crime-knife_crime_offences svg").wait_for()  # drawn again after the swap
    assert page.get_by_role("heading", name="Delivery actions").is_visible()  # the rest of the page stays
    assert errors == []


def test_person_level_pages_are_the_analysts_and_logged(browser: Browser, server: str, app_url: str) -> None:
    viewer = sign_in(browser, server, "viewer")
    viewer.goto(f"{server}/strands/domestic-abuse")
    assert viewer.get_by_role("link", name="Repeat victims and offenders by pseudonym").count() == 0
    assert viewer.request.get(f"{server}/strands/domestic-abuse/people").status == 403
    analyst = sign_in(browser, server, "analyst")
    analyst.goto(f"{server}/strands/domestic-abuse")
    analyst.get_by_role("link", name="Repeat victims and offenders by pseudonym").click()
    analyst.get_by_role("heading", name="Victims: the 10 with the most records").wait_for()
    pseudonyms = analyst.locator("tbody th code").all_inner_texts()
    assert pseudonyms and all(p.startswith("p_") for p in pseudonyms)
    store = open_app_store(app_url)
    try:
        views = [e for e in store.audit(what="people") if e.user == "analyst"]
    finally:
        store.close()
    assert views and views[0].change == "view" and views[0].key == "domestic-abuse"
    assert views[0].after is not None and views[0].after["people"] == len(pseudonyms)
    assert not any(p in str(views[0].after) for p in pseudonyms)  # the log says how many, never who


def test_a_lead_notes_the_status_without_changing_it(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    page.goto(f"{server}/strands/knife-crime")
    status = page.get_by_role("heading", name="Status:").inner_text()
    page.get_by_label("Lead's note on the status (Markdown)").fill("The new funding starts in April.")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("Note saved.").wait_for()
    assert page.get_by_text("The new funding starts in April.").first.is_visible()
    assert page.get_by_role("heading", name="Status:").inner_text() == status


AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"  # axe-core (MPL-2.0), for the tests only
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


PAGES = ["/", "/strands/knife-crime", "/strands/places", "/strands/knife-crime?district=Basildon", "/status", "/paper"]


def _axe_violations(page: Page) -> list[str]:
    # evaluated through the browser's devtools protocol: the page's own policy allows no such script
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: tags})).violations", WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_pass_the_wcag_aa_checks_of_axe(browser: Browser, server: str, path: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    page.goto(f"{server}{path}")
    if page.locator(".vega-chart").count():
        page.locator(".vega-chart svg").first.wait_for()
    assert _axe_violations(page) == []


def test_the_accessibility_check_finds_what_it_should(browser: Browser, server: str) -> None:
    page = sign_in(browser, server, "lead.knife")
    page.goto(f"{server}/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    page.evaluate("document.querySelector('main').style.color = '#bbbbbb'")  # grey on white: too little contrast
    found = " ".join(_axe_violations(page))
    assert "label (critical)" in found and "color-contrast (serious)" in found
