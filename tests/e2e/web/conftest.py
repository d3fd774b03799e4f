"""Fixtures for the web dashboard: the app over ASGI in process, a sample campaign, links."""

from __future__ import annotations

import re

import httpx
import pytest

from bots.web.app import build_web
from tests.support import ask

LINK = re.compile(r"(https?://\S+/open/[A-Za-z0-9_-]+)")

SAMPLE = """
    maya: /campaign create stop-nudify --headcount 40 --milestone 30 --title "No payments for nudify apps"
    maya: /campaign liaison add stop-nudify @jon
    maya: /pledge create stop-nudify --text "I will sign a letter asking us to end merchant accounts for AI nudification services." --deadline 30d
    sam: /pledge sign stop-nudify --conditional
    lee: /pledge sign stop-nudify
    ana: /pledge sign stop-nudify --named
    ana: /campaign team stop-nudify risk
    :advance 1h
    quinn: /pledge sign stop-nudify
    rowan: /pledge sign stop-nudify
    tariq: /pledge sign stop-nudify
    ulla: /pledge sign stop-nudify
    ana: /grievance stop-nudify --solve --text "Risk flagged two nudify merchants last quarter."
    sam: /grievance stop-nudify --vent --text "It is exhausting to watch this go on."
    :advance 1h
"""


def link_in(text: str) -> str:
    """The one-time link in a `/campaign dashboard` answer."""
    found = LINK.search(text)
    assert found, f"no dashboard link in: {text!r}"
    return found.group(1)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def sample(console):
    """The README's sample campaign, a few snapshots in: returns the console for more lines."""
    console.run(SAMPLE)
    return console


@pytest.fixture
async def web(app):
    """The dashboard over ASGI, in process; requests come from 127.0.0.1."""
    transport = httpx.ASGITransport(app=build_web(app), client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:3000",
                                 timeout=10) as client:
        yield client


def new_link(app, who: str, name: str = "stop-nudify") -> str:
    return path_of(link_in(ask(app, who, f"/campaign dashboard {name}")[0]))
