"""1,000 sign requests at once from 50 people, with double sends and Slack retries: 50 signatures.

The requests go over real HTTP on 127.0.0.1 to Concerted's Slack app served
by uvicorn, built exactly as `concerted run` builds it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import resource

import aiohttp
import pytest

from bots.slack_app.app import EVENTS_PATH, EventsEndpoint
from bots.slack_app.run import running
from settings import Settings
from tests.e2e.slack_app.workspace import SECRET
from tests.reliability.signing import (
    ALREADY,
    SIGNED,
    Ledger,
    Told,
    prepare_pledge,
    sign_request,
    signer,
)

PEOPLE = 50
SENDS = 17  # requests each person sends themselves
RETRIES = 3  # of those, how many Slack delivers again: 50 x (17 + 3) = 1,000 requests
TEST_TIMEOUT = 60.0


@pytest.mark.slow
async def test_a_thousand_concurrent_signs_from_fifty_people_with_retries_leave_fifty_signatures(
    backend_url, mock_slack, serve_asgi, tmp_path, caplog,
):
    caplog.set_level(logging.INFO, logger="concerted")
    settings = Settings(CONCERTED_DATABASE_URL=backend_url,
                        CONCERTED_KEY_FILE=tmp_path / "concerted.key",
                        CONCERTED_OUTPUT_DIR=tmp_path / "out", SLACK_BOT_TOKEN="xoxb-load",
                        SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=mock_slack.api_url,
                        # All thousand are taken on: this is about exactly-once, not "busy".
                        CONCERTED_BACKLOG=PEOPLE * (SENDS + RETRIES))
    prepare_pledge(settings)
    people = [signer(n) for n in range(PEOPLE)]
    requests, originals = _requests(mock_slack, people, random.Random(9))
    assert len(requests) == 1000

    async with asyncio.timeout(TEST_TIMEOUT):
        async with (running(settings, socket_mode=False, realtime=False,
                            logging_setup=False) as live,
                    serve_asgi(EventsEndpoint(live.bolt)) as url):
            told = Told(mock_slack)
            acks = await _post_all(url + EVENTS_PATH, requests, told)
            await live.slack.settle()
        answers = told.by_name("")
    ledger = Ledger(backend_url, settings.key_file)
    try:
        per_person, totals = ledger.signatures(people), ledger.totals()
    finally:
        ledger.close()

    assert acks == [200] * len(requests)
    assert set(per_person.values()) == {1}, "someone has no signature or more than one"
    assert totals == (PEOPLE, PEOPLE + 1)  # fifty signers, and the lead who opened the pledge
    assert sorted(answers) == sorted(originals), "a request went unanswered"
    assert all(len(texts) == 1 for texts in answers.values()), "a retry was run again"
    for who in people:
        texts = [answers[name][0] for name in originals if originals[name] == who]
        assert sum(SIGNED in text for text in texts) == 1, f"{who} was told 'you signed' twice"
        assert sum(ALREADY in text for text in texts) == SENDS - 1
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _requests(mock, people: list[str], rng: random.Random):
    """Every person's own sends, plus Slack's retries of some of them, shuffled together."""
    requests, originals = [], {}
    for who in people:
        own = [f"{who}-{n:02d}" for n in range(SENDS)]
        for name in own:
            originals[name] = who
            requests.append((name, *sign_request(mock, who, name)))
        for attempt, name in enumerate(rng.sample(own, RETRIES), start=1):
            requests.append((name, *sign_request(mock, who, name, retry_num=attempt)))
    rng.shuffle(requests)
    return requests, originals


async def _post_all(url: str, requests, told: Told) -> list[int]:
    """Send every request at once; the status of each, in order, and what each ack said.

    aiohttp, since httpx's connection pool spends quadratic time on a
    thousand open connections and would measure itself, not Concerted.
    """
    connector = aiohttp.TCPConnector(limit=_connections(len(requests)))
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=30)) as http:

        async def post(name: str, body: bytes, headers: dict[str, str]) -> int:
            async with http.post(url, data=body, headers=headers) as response:
                told.ack(name, response.status, await response.read())
                return response.status

        return await asyncio.gather(*(post(*request) for request in requests))


def _connections(wanted: int) -> int:
    # Client and server ends share this process: two descriptors a connection, plus headroom.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * wanted + 512
    if soft < needed and (hard == resource.RLIM_INFINITY or hard >= needed):
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
        soft = needed
    return max(50, min(wanted, (soft - 512) // 2))
