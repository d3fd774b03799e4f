"""The dashboard over HTTP: getting in, what the page shows, downloads, and the lock-down."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

from bots.web.security import COOKIE, CSP
from bots.web.server import BackgroundDashboard, listen
from campaigns.core.models import Snapshot
from campaigns.core.suppression import suppress
from tests.e2e.web.conftest import new_link
from tests.support import advance, ask

TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "web"


async def _signed_in(web, app, who: str = "maya"):
    opened = await web.get(new_link(app, who))
    assert opened.status_code == 200
    return opened


async def test_opening_a_link_sets_a_strict_session_cookie_and_moves_to_a_clean_address(
        web, app, sample):
    opened = await _signed_in(web, app)
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=3600" in cookie
    assert "Secure" not in cookie  # the public address here is http
    assert 'http-equiv="refresh" content="0; url=/campaign/stop-nudify"' in opened.text
    page = await web.get("/campaign/stop-nudify")
    assert page.status_code == 200 and "campaign dashboard" in page.text


async def test_the_cookie_is_secure_when_the_public_address_is_https(web, app, sample):
    app.web_url = "https://dashboard.example.org"
    opened = await _signed_in(web, app)
    assert "Secure" in opened.headers["set-cookie"]


async def test_a_used_expired_or_unknown_link_gets_a_page_saying_which(web, app, clock, sample):
    link = new_link(app, "maya")
    assert (await web.get(link)).status_code == 200
    used = await web.get(link)
    assert used.status_code == 410 and "already used" in used.text
    late = new_link(app, "maya")
    advance(app, clock, timedelta(minutes=11))
    expired = await web.get(late)
    assert expired.status_code == 410 and "has expired" in expired.text
    unknown = await web.get("/open/made-up")
    assert unknown.status_code == 404 and "not a link Concerted made" in unknown.text
    for page in (used, expired, unknown):
        assert "/campaign dashboard NAME" in page.text and "set-cookie" not in page.headers


async def test_without_a_session_every_page_asks_for_a_link_and_shows_no_data(web, app, sample):
    for path in ("/campaign/stop-nudify", "/campaign/stop-nudify/snapshots.csv",
                 "/campaign/nosuch"):
        page = await web.get(path)
        assert page.status_code == 401
        assert "Ask for a link in chat" in page.text and "Supporters" not in page.text
    home = await web.get("/")
    assert home.status_code == 200 and "Ask for a link in chat" in home.text


async def test_a_session_is_refused_on_another_campaign_whether_or_not_it_exists(web, app, sample):
    ask(app, "maya", "/campaign create other --headcount 10")
    await _signed_in(web, app)
    other = await web.get("/campaign/other")
    missing = await web.get("/campaign/nosuch")
    assert other.status_code == missing.status_code == 403
    assert other.text == missing.text
    assert "other" not in other.text.replace("another", "")


async def test_the_page_shows_the_same_figures_as_threshold_in_chat(web, app, sample):
    chat, _ = ask(app, "maya", "/threshold stop-nudify")
    await _signed_in(web, app)
    page = (await web.get("/campaign/stop-nudify")).text
    supporters = re.search(r"Supporters: (\d+) of a headcount of 40 \(([\d.]+%)\)", chat)
    assert supporters, chat
    assert f'data-figure="supporters">{supporters.group(1)}<' in page
    assert f'data-figure="share">{supporters.group(2)}<' in page
    for line in re.findall(r"• (\d+%.*)", chat):
        rung, state = line.split(": ", 1)
        assert f'<span class="rung">{rung}</span>: <span class="state">{state}</span>' in page
    assert "reached at the snapshot of" in page


async def test_the_chart_draws_hidden_counts_as_bands_and_has_a_text_alternative(web, app, sample):
    await _signed_in(web, app)
    page = (await web.get("/campaign/stop-nudify")).text
    assert '<svg viewBox=' in page and 'role="img"' in page
    assert "drawn as a grey band up to 5, never as a number" in page
    assert '<g class="bands">\n<rect' in page
    table = page[page.index("<tbody>", page.index("Published supporters")):]
    assert "fewer than 5" in table and "<td>7</td>" in table.split("</tbody>")[0]


async def test_a_liaison_sees_the_queue_by_tag_and_age_and_no_grievance_text(web, app, sample):
    await _signed_in(web, app, "jon")
    page = (await web.get("/campaign/stop-nudify")).text
    assert "Open items: 2 (1 to vent, 1 to solve)" in page
    assert "Risk flagged" not in page and "exhausting" not in page
    assert "snapshots.csv" not in page  # the series is a lead's, as /threshold is in chat
    assert (await web.get("/campaign/stop-nudify/snapshots.csv")).status_code == 403


async def test_no_name_reaches_the_page(web, app, sample):
    for who in ("maya", "jon"):
        await _signed_in(web, app, who)
        page = (await web.get("/campaign/stop-nudify")).text
        for name in ("maya", "jon", "sam", "lee", "ana", "quinn", "rowan", "tariq", "ulla"):
            assert not re.search(rf"\b{name}\b", page), (who, name)


async def test_the_csv_and_json_downloads_are_the_snapshots_suppressed_as_on_the_page(
        web, app, sample):
    await _signed_in(web, app)
    with Session(app.engine) as db:
        snapshots = db.exec(select(Snapshot).order_by(Snapshot.taken_at)).all()
    expected = [(s.taken_at.isoformat(), suppress(s.supporters, 5).value) for s in snapshots]
    got = await web.get("/campaign/stop-nudify/snapshots.csv")
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [(r["taken_at"], int(r["supporters"]) if r["supporters"] else None)
            for r in rows] == expected
    assert {r["fewer_than"] for r in rows if not r["supporters"]} == {"5"}
    data = json.loads((await web.get("/campaign/stop-nudify/snapshots.json")).text)
    assert [(s["taken_at"], s["supporters"]) for s in data["snapshots"]] == expected


async def test_every_response_carries_the_protective_headers(web, app, sample):
    link = new_link(app, "maya")
    responses = [await web.get("/"), await web.get("/nowhere"), await web.get(link),
                 await web.get("/campaign/stop-nudify"), await web.get("/static/dashboard.css"),
                 await web.get("/campaign/stop-nudify/snapshots.csv"),
                 await web.post("/sign-out", data={"csrf": "wrong"})]
    for response in responses:
        headers = response.headers
        assert headers["content-security-policy"] == CSP
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in CSP and "unsafe-inline" not in CSP


async def test_signing_out_needs_the_pages_csrf_token(web, app, sample):
    await _signed_in(web, app)
    page = (await web.get("/campaign/stop-nudify")).text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    forged = await web.post("/sign-out", data={"csrf": "0" * 64})
    assert forged.status_code == 403
    assert (await web.get("/campaign/stop-nudify")).status_code == 200
    out = await web.post("/sign-out", data={"csrf": token})
    assert out.status_code == 200 and "signed out" in out.text
    web.cookies.clear()
    assert (await web.get("/campaign/stop-nudify")).status_code == 401


async def test_trying_many_links_from_one_address_is_slowed_down(web, app, sample):
    answers = [(await web.get(f"/open/guess-{n}")).status_code for n in range(12)]
    assert answers[:10] == [404] * 10 and answers[10:] == [429, 429]


def test_tokens_and_cookies_never_reach_the_logs_of_the_real_server(app, sample, caplog):
    caplog.set_level(logging.DEBUG)
    server = BackgroundDashboard(app, listen("127.0.0.1", 0)).start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        link = new_link(app, "maya")
        with httpx.Client(base_url=base, timeout=10) as browser:
            opened = browser.get(link)
            browser.get(link)
            browser.get("/campaign/stop-nudify")
    finally:
        server.stop()
    token = link.rsplit("/", 1)[1]
    session = opened.cookies[COOKIE]
    # The test's own HTTP client logs the addresses it asks for; the server side must not.
    served = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in served)
    assert "dashboard.session_opened" in logged and "web.link_refused reason=used" in logged
    assert token not in logged and session not in logged and "/open/" not in logged


def test_no_page_template_has_inline_script_style_or_a_foreign_host():
    for template in TEMPLATES.rglob("*.j2"):
        source = template.read_text()
        assert "<script" not in source and "style=" not in source and "<style" not in source
        assert not re.search(r"(src|href)=\"(https?:)?//", source), template.name


async def test_the_page_reads_in_the_campaigns_language_and_zone(web, app, sample):
    ask(app, "maya", "/campaign language stop-nudify de")
    ask(app, "maya", "/campaign timezone stop-nudify Europe/Berlin")
    opened = await _signed_in(web, app)
    assert '<html lang="de">' in opened.text and "Du bist angemeldet" in opened.text
    page = (await web.get("/campaign/stop-nudify")).text
    assert '<html lang="de">' in page
    assert "<dt>Unterstützende</dt>" in page and "Europe/Berlin" in page
    assert "Supporters" not in page and " UTC" not in page
    # A command stays a command, as code, inside the translated sentence.
    assert "<code>/threshold schedule stop-nudify DAY HH:MM</code>" in page
    # A page about no campaign reads in the deployment's language.
    assert '<html lang="en">' in (await web.get("/nowhere")).text
