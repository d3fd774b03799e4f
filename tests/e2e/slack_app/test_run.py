"""`concerted run` with a bot token and a signing secret serves Slack over HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from tests.e2e.slack_app.payloads import sign, slash_command_body
from tests.e2e.slack_app.workspace import SECRET

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_concerted_run_answers_a_signed_slash_command_at_slack_events(
    mock_slack, database_url, tmp_path,
):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONCERTED_", "SLACK_", "DISCORD_"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-run", "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": mock_slack.api_url, "CONCERTED_HTTP_PORT": str(port),
                "CONCERTED_DATABASE_URL": database_url,
                "CONCERTED_KEY_FILE": str(tmp_path / "concerted.key"),
                "CONCERTED_OUTPUT_DIR": str(tmp_path / "out"), "PYTHONPATH": str(ROOT)})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bots.runtime.cli", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        body = slash_command_body("/campaign", "create ethics --headcount 40",
                                  response_url=mock_slack.response_url("run"))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            response = await _post_when_listening(http, body, process)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = await asyncio.wait_for(process.communicate(), timeout=20)

    # The answer was ready within the deadline, so it came in the HTTP response itself.
    assert response.status_code == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    assert "you are its lead" in reply["text"]
    assert mock_slack.calls("response_url:run") == []
    assert process.returncode == 0, errors.decode()
    assert b"U0ALICE" not in errors and b"ethics" not in errors


async def _post_when_listening(http: httpx.AsyncClient, body: bytes, process) -> httpx.Response:
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError("concerted run stopped before it listened")
        try:
            return await http.post("/slack/events", content=body, headers=sign(body, SECRET))
        except httpx.ConnectError:
            await asyncio.sleep(0.1)
    raise AssertionError("concerted run did not listen within 30 seconds")
