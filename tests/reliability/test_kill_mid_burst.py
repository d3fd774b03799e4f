"""kill -9 in the middle of a burst of signatures: what a person was told is what is stored.

Concerted answers a signature only after it committed, so every confirmation
that reached its sender (in the HTTP acknowledgement or on the response_url)
is a promise. The real `concerted run` process is
killed without warning while a burst is being signed, then started again on
the same database and key file.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import create_engine

from settings import Settings
from tests.e2e.slack_app.payloads import sign, slash_command_body
from tests.e2e.slack_app.workspace import SECRET
from tests.reliability.bot_process import BotProcess
from tests.reliability.signing import (
    ALREADY,
    LEAD,
    SIGNED,
    Ledger,
    Told,
    prepare_pledge,
    sign_request,
    signer,
)

BURST = 240
FIRST_WAVE = 120  # signers who press enter before the kill; the others only after it
KILL_AFTER = 40  # confirmations seen before the kill: far fewer than the first wave
PACE = 0.004  # seconds between two people pressing enter
# Every wait below ends on an event (the port accepts, a reply is recorded, the process
# exits); this only stops a hung bot from hanging the suite, so it is generous on purpose.
SAFETY = 600.0


@pytest.mark.slow
async def test_every_confirmed_signature_survives_a_kill_9_once_and_the_restarted_bot_answers(
    backend_url, mock_slack, tmp_path,
):
    key_file, out = tmp_path / "concerted.key", tmp_path / "out"
    prepare_pledge(Settings(CONCERTED_DATABASE_URL=backend_url, CONCERTED_KEY_FILE=key_file,
                            CONCERTED_OUTPUT_DIR=out))
    bot = BotProcess(tmp_path, {
        "SLACK_BOT_TOKEN": "xoxb-kill", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": mock_slack.api_url, "CONCERTED_DATABASE_URL": backend_url,
        "CONCERTED_KEY_FILE": str(key_file), "CONCERTED_OUTPUT_DIR": str(out)})
    people = [signer(n) for n in range(BURST)]
    ledger = Ledger(backend_url, key_file)
    answered = Told(mock_slack)
    try:
        await bot.start()  # returns once the bot accepts connections
        await _warmed_up(bot, mock_slack, answered)
        statuses = await _burst_killed_midway(bot, answered, people)
        told = answered.by_name("b")
        confirmed = {name.removeprefix("b") for name in told}
        at_kill = ledger.signatures(people)
        integrity = _sqlite_integrity(backend_url)

        await bot.start()
        async with httpx.AsyncClient(base_url=bot.url, timeout=SAFETY) as http:
            again = await asyncio.gather(*(_post(http, answered, who, f"a{who}")
                                           for who in people))
        answers = await answered.wait("a", len(people), SAFETY)
        after = ledger.signatures(people)
        totals = ledger.totals()
        stopped = await bot.stop()
    finally:
        await bot.kill()
        ledger.close()

    assert KILL_AFTER <= len(confirmed) <= FIRST_WAVE, "the kill did not land in the burst"
    assert sum(at_kill.values()) <= FIRST_WAVE, "a signature arrived after the kill"
    assert not [s for s in statuses if isinstance(s, int) and s >= 500]
    assert all(len(texts) == 1 and SIGNED in texts[0] for texts in told.values()), told
    assert {who for who in confirmed if at_kill[who] != 1} == set(), "a confirmed signature was lost"
    assert max(at_kill.values()) == 1, "someone was signed twice"
    assert integrity in (None, "ok")
    assert again == [200] * BURST
    for who in people:
        [text] = answers[f"a{who}"]
        expected = ALREADY if at_kill[who] else SIGNED
        assert expected in text, f"{who}: {text!r}"
    assert set(after.values()) == {1}
    assert totals == (BURST, BURST + 1)  # every signer once, and the lead
    assert stopped == 0
    assert "U0SIGN" not in bot.log and "U0ALICE" not in bot.log


async def _burst_killed_midway(bot: BotProcess, answered: Told,
                               people: list[str]) -> list[int | str]:
    """The first wave signs within a second; the process is killed once KILL_AFTER
    confirmations are out, and the second wave presses enter only after that.

    Requests keep arriving while earlier ones commit, so the kill finds some
    signatures committed and answered, some committed only, some not yet run,
    however fast or slow the machine is.
    """
    limits = httpx.Limits(max_connections=len(people))
    killed = asyncio.Event()
    async with httpx.AsyncClient(base_url=bot.url, timeout=SAFETY, limits=limits) as http:
        burst: list[asyncio.Task] = []

        async def press_enter() -> None:
            for number, who in enumerate(people):
                if number == FIRST_WAVE:
                    await killed.wait()
                burst.append(asyncio.create_task(_post(http, answered, who, f"b{who}")))
                await asyncio.sleep(PACE)

        pressing = asyncio.create_task(press_enter())
        await answered.wait("b", KILL_AFTER, SAFETY, at_least=True)
        await bot.kill()
        killed.set()
        await pressing
        statuses = await asyncio.gather(*burst)
    await asyncio.sleep(0.2)  # a confirmation already on the wire may still be recorded
    return statuses


async def _warmed_up(bot: BotProcess, mock, answered: Told) -> None:
    # One answered command first: the burst then meets a bot already at full speed.
    body = slash_command_body("/pledge", "status ethics", user_id=LEAD,
                              response_url=mock.response_url("warm"))
    async with httpx.AsyncClient(base_url=bot.url, timeout=SAFETY) as http:
        response = await http.post("/slack/events", content=body, headers=sign(body, SECRET))
    assert response.status_code == 200
    answered.ack("warm", response.status_code, response.content)
    [[status]] = (await answered.wait("warm", 1, SAFETY)).values()
    assert "We will not onboard nudify apps." in status


async def _post(http: httpx.AsyncClient, answered: Told, who: str, reply_to: str) -> int | str:
    body, headers = sign_request(answered.mock, who, reply_to)
    try:
        response = await http.post("/slack/events", content=body, headers=headers)
    except httpx.TransportError as exc:  # the server died under this request
        return type(exc).__name__
    answered.ack(reply_to, response.status_code, response.content)
    return response.status_code


def _sqlite_integrity(url: str) -> str | None:
    if not url.startswith("sqlite"):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar()
    finally:
        engine.dispose()
