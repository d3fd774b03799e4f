"""The dashboard in a real browser: headless Chromium (Debian's), driven by Playwright.

Each test opens the link a `/campaign dashboard` answer holds, as a person
would, on a dashboard served by a real HTTP server on a free port.
"""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select

from bots.web.server import start_console_dashboard
from campaigns.core.models import Snapshot
from campaigns.core.suppression import suppress
from tests.e2e.web.browser import MISSING, chromium_path
from tests.e2e.web.conftest import SAMPLE, link_in
from tests.support import advance

pytestmark = pytest.mark.skipif(chromium_path() is None, reason=MISSING)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "headless": True}


# pytest-playwright keeps Playwright (and the event loop its sync API runs) for the whole
# session, which breaks the asyncio tests that come after; here it lives for this module.
@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="module")
def browser_context_args():
    return {}


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **options: browser_type.launch(**{**browser_type_launch_args, **options})


@pytest.fixture(scope="module")
def browser(launch_browser):
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture
def settings(settings):
    # Port 0: whatever port is free, so tests never collide with each other or a running bot.
    return settings.model_copy(update={"http_port": 0})


@pytest.fixture
def live(app, console):
    """The sample campaign, and its dashboard served the way the console serves it."""
    console.run(SAMPLE)
    server = start_console_dashboard(app)
    yield console
    server.stop()


@pytest.fixture
def watched(page, app):
    """The page, with every console error and every host it asked recorded."""
    errors, hosts = [], set()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.errors, page.hosts = errors, hosts
    return page


def _link(console, who: str = "maya", name: str = "stop-nudify") -> str:
    return link_in(console.run(f"{who}: /campaign dashboard {name}"))


def _open(page, console, who: str = "maya"):
    page.goto(_link(console, who))
    page.wait_for_url(re.compile(r"/campaign/stop-nudify$"))
    return page


def test_a_lead_opens_the_link_from_chat_and_finds_the_figures_threshold_gives(
        watched, live, app, tmp_path):
    chat = live.run("maya: /threshold stop-nudify")
    page = _open(watched, live)
    assert page.url.endswith("/campaign/stop-nudify") and "/open/" not in page.url
    supporters, share = re.search(r"Supporters: (\d+) of a headcount of 40 \(([\d.]+%)\)",
                                  chat).groups()
    assert page.inner_text('[data-figure="supporters"]') == supporters
    assert page.inner_text('[data-figure="share"]') == share
    rungs = [item.inner_text() for item in page.query_selector_all(".ladder li")]
    milestones = re.findall(r"• (\d+%.*)", chat)
    assert sorted(rungs) == sorted(milestones)
    assert page.get_by_role("img", name=re.compile("supporters over time")).is_visible()
    page.screenshot(path=tmp_path / "overview.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=tmp_path / "overview-phone.png", full_page=True)
    assert page.errors == []
    assert page.hosts == {urlsplit(app.web_url).netloc}


def test_the_link_does_not_stay_in_the_tabs_history(page, live):
    _open(page, live)
    # The link's page moved on by itself and replaced its own history entry.
    assert page.evaluate("history.length") == 2  # the blank tab and the dashboard
    page.go_back()
    assert "/open/" not in page.url


def test_a_link_works_once_and_a_reused_or_expired_one_explains_itself(page, live, app, clock):
    link = _link(live)
    page.goto(link)
    page.wait_for_url(re.compile(r"/campaign/stop-nudify$"))
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "This link was already used"
    late = _link(live)
    advance(app, clock, timedelta(minutes=11))
    page.goto(late)
    assert page.get_by_role("heading", level=1).inner_text() == "This link has expired"
    assert "/campaign dashboard NAME" in page.inner_text("main")


def test_a_member_who_is_not_a_lead_or_liaison_gets_no_link(live):
    answer = live.run("sam: /campaign dashboard stop-nudify")
    assert "/open/" not in answer and "only to the leads and liaisons" in answer


def test_another_campaigns_page_is_refused_with_the_same_session(page, live, app):
    live.run("maya: /campaign create other-cause --headcount 30")
    _open(page, live)
    page.goto(app.web_url + "/campaign/other-cause")
    refused = page.inner_text("main")
    page.goto(app.web_url + "/campaign/no-such-cause")
    assert page.inner_text("main") == refused
    assert "not open to you" in refused


def test_the_downloaded_csv_is_the_snapshot_series_as_published(page, live, app):
    _open(page, live)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), newline="") as handle:
        rows = list(csv.DictReader(handle))
    with Session(app.engine) as db:
        snapshots = db.exec(select(Snapshot).order_by(Snapshot.taken_at)).all()
    assert [(r["taken_at"], r["supporters"]) for r in rows] == [
        (s.taken_at.isoformat(), "" if suppress(s.supporters, 5).value is None
         else str(s.supporters)) for s in snapshots]


def test_the_pages_have_no_serious_or_critical_accessibility_problems(browser, live, app):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for who in ("maya", "jon"):
        # axe-core is injected as a script, which the page's own policy rightly forbids.
        context = browser.new_context(bypass_csp=True)
        page = _open(context.new_page(), live, who)
        results = axe.run(page)
        serious = [v["id"] for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], (who, results.generate_report())
        context.close()


def test_the_page_works_without_javascript_and_signs_out_with_its_form(browser, live):
    context = browser.new_context(java_script_enabled=False)
    page = _open(context.new_page(), live)
    assert page.inner_text('[data-figure="supporters"]').isdigit()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed out"
    page.goto(page.url.replace("/sign-out", "/campaign/stop-nudify"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for a link in chat"
    context.close()
