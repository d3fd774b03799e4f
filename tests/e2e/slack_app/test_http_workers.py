"""`concerted run` with CONCERTED_HTTP_WORKERS=2 on PostgreSQL: two processes on one port."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from tests.conftest import requires_postgres
from tests.e2e.slack_app.payloads import sign, slash_command_body
from tests.e2e.slack_app.workspace import SECRET

ROOT = Path(__file__).resolve().parents[3]
SIGNERS = 12


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn spawned (not multiprocessing's resource tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in command:
                found.append(int(child))
    return found


def _job_runners(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )).scalar_one()
    finally:
        engine.dispose()


def _signatures(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM signature")).scalar_one()
    finally:
        engine.dispose()


@requires_postgres()
async def test_two_workers_answer_every_signer_from_one_port_and_one_of_them_runs_the_jobs(
    mock_slack, database_url, tmp_path,
):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONCERTED_", "SLACK_", "DISCORD_"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-run", "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": mock_slack.api_url, "CONCERTED_HTTP_PORT": str(port),
                "CONCERTED_HTTP_WORKERS": "2", "CONCERTED_DATABASE_URL": database_url,
                "CONCERTED_KEY_FILE": str(tmp_path / "concerted.key"),
                "CONCERTED_OUTPUT_DIR": str(tmp_path / "out"), "PYTHONPATH": str(ROOT)})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bots.runtime.cli", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            await _command(http, process, mock_slack, "lead", "/campaign",
                           "create ethics --headcount 400", "U0LEAD")
            await _command(http, process, mock_slack, "pledge", "/pledge",
                           'create ethics --text "We ask for a fair rota"', "U0LEAD")
            answers = await asyncio.gather(*(
                _command(http, process, mock_slack, f"s{n}", "/pledge", "sign ethics",
                         f"U0SIGNER{n:02d}") for n in range(SIGNERS)))
        workers = _workers(process.pid)
        # Each worker tries for the lock at start and then every few seconds.
        runners = await _settled(lambda: _job_runners(database_url))
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = await asyncio.wait_for(process.communicate(), timeout=30)

    assert len(workers) == 2
    assert all("signed" in answer.lower() for answer in answers)
    assert _signatures(database_url) == SIGNERS
    assert runners == 1
    assert _job_runners(database_url) == 0  # stopping gave the lock back
    assert process.returncode == 0, errors.decode()[-2000:]
    assert b"U0SIGNER" not in errors and b"ethics" not in errors


async def _command(http: httpx.AsyncClient, process, mock_slack, name: str, command: str,
                   line: str, user: str) -> str:
    """The answer's text, from the ack that carried it or from the response_url."""
    body = slash_command_body(command, line, user_id=user, user_name=user.lower(),
                              response_url=mock_slack.response_url(name))
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError("concerted run stopped before it listened")
        try:
            response = await http.post("/slack/events", content=body, headers=sign(body, SECRET))
        except httpx.TransportError:
            await asyncio.sleep(0.1)
            continue
        assert response.status_code == 200
        if response.content.strip():
            return response.json()["text"]
        [posted] = await mock_slack.wait_for(f"response_url:{name}", timeout=30)
        return posted.args["text"]
    raise AssertionError("concerted run did not listen within 30 seconds")


async def _settled(count, seconds: float = 12.0) -> int:
    # A second lock holder would show within one lock round; wait a little over two.
    deadline = asyncio.get_running_loop().time() + seconds
    seen = count()
    while asyncio.get_running_loop().time() < deadline and seen != 1:
        await asyncio.sleep(0.5)
        seen = count()
    return seen
