"""A dashboard link from a Slack answer opens in a real browser, on the same server (and port)
as `/slack/events`, and shows what `/threshold` says in Slack."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from bots.slack_app.run import http_app
from tests.e2e.web.browser import MISSING, chromium_path
from tests.e2e.web.conftest import link_in


async def test_a_member_asking_in_slack_gets_no_link(workspace):
    await workspace.command("alice", "/campaign create ethics --headcount 40")
    await workspace.command("bob", "/campaign join ethics")
    answer = await workspace.command("bob", "/campaign dashboard ethics")
    assert "/open/" not in answer.text and "only to the leads and liaisons" in answer.text


async def test_the_slack_http_app_serves_the_dashboard_beside_the_events(workspace, serve_asgi):
    async with serve_asgi(http_app(workspace.live)) as base, httpx.AsyncClient() as client:
        unsigned = await client.post(f"{base}/slack/events", content=b"{}")
        page = await client.get(f"{base}/")
    assert unsigned.status_code == 401  # bolt still checks every events request's signature
    assert page.status_code == 200 and "Ask for a link in chat" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.skipif(chromium_path() is None, reason=MISSING)
async def test_a_link_from_a_slack_answer_opens_the_page_with_the_slack_figures(
        workspace, serve_asgi):
    from playwright.async_api import async_playwright

    async with serve_asgi(http_app(workspace.live)) as base:
        workspace.app.web_url = base
        await workspace.command("alice", "/campaign create ethics --headcount 40")
        await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
        for name in ("bob", "carol", "dave", "erin", "frank", "grace"):
            await workspace.command(name, "/pledge sign ethics")
        await workspace.advance(timedelta(hours=1))
        chat = (await workspace.command("alice", "/threshold ethics")).text
        answer = await workspace.command("alice", "/campaign dashboard ethics")
        assert [r["response_type"] for r in answer.replies] == ["ephemeral"]
        link = link_in(answer.text)
        assert link.startswith(base + "/open/")
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=chromium_path(), headless=True)
            try:
                page = await browser.new_page()
                await page.goto(link)
                await page.wait_for_url(re.compile(r"/campaign/ethics$"))
                supporters = await page.inner_text('[data-figure="supporters"]')
                share = await page.inner_text('[data-figure="share"]')
            finally:
                await browser.close()
    assert f"Supporters: {supporters} of a headcount of 40 ({share})" in chat
