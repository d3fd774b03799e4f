"""A Slack workspace for end-to-end tests: people send signed requests to Concerted's ASGI app
and everything Concerted sends back out is captured by the Web API mock."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func
from sqlmodel import select

from bots.output.rendering import Renderer
from bots.slack_app.run import Running
from bots.slack_app.views import CALLBACK
from tests.e2e.slack_app.mock_slack import MockSlack
from tests.e2e.slack_app.payloads import (
    app_home_opened_event,
    block_actions_body,
    option_value,
    sign,
    slash_command_body,
    text_value,
    view_submission_body,
)

SECRET = "concerted-test-signing-secret"
PEOPLE = {name: f"U0{name.upper()}" for name in
          ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan")}
PING = Renderer("slack").render("notices/ping.j2")
DIGEST = Renderer("slack").render("notices/digest.j2")


def mention(name: str) -> str:
    """How Slack writes a mention in command text (with "Escape users" on)."""
    return f"<@{PEOPLE[name]}|{name}>"


@dataclass
class Answer:
    """What one slash command brought back: the HTTP ack (which may carry the answer itself)
    and the messages posted to its response_url afterwards."""

    status: int
    ack: str
    posted: list[dict] = field(default_factory=list)

    @property
    def in_ack(self) -> dict | None:
        """The message the acknowledgement carried, if it carried one."""
        if self.status != 200 or not self.ack.strip():
            return None
        return json.loads(self.ack)

    @property
    def replies(self) -> list[dict]:
        """Every message the person saw, in order: the ack's, then the posted ones."""
        return ([self.in_ack] if self.in_ack else []) + self.posted

    @property
    def text(self) -> str:
        return "\n".join(reply.get("text", "") for reply in self.replies)


class Workspace:
    """People in one Slack team, talking to Concerted over signed HTTP."""

    def __init__(self, live: Running, mock: MockSlack, http: httpx.AsyncClient, clock):
        self.live, self.mock, self.http, self.clock = live, mock, http, clock
        self._serial = itertools.count(1)
        # Every non-empty HTTP answer Concerted gave (acks carrying answers, modal updates).
        self.responses: list[dict] = []

    @property
    def app(self):
        return self.live.slack.app

    async def post(self, body: bytes, **signing: Any) -> httpx.Response:
        headers = sign(body, signing.pop("secret", SECRET), **signing)
        response = await self.http.post("/slack/events", content=body, headers=headers)
        if response.headers.get("content-type", "").startswith("application/json"):
            self.responses.append(response.json())
        return response

    async def command(self, who: str, line: str, *, trigger_id: str | None = None,
                      **signing: Any) -> Answer:
        """`who` types `line` (such as `/campaign join ethics`); returns the ack and the replies."""
        command, _, text = line.partition(" ")
        where = f"r{next(self._serial)}"
        body = slash_command_body(command, text, response_url=self.mock.response_url(where),
                                  user_id=PEOPLE[who], user_name=who, trigger_id=trigger_id)
        response = await self.post(body, **signing)
        await self.settle()
        return Answer(response.status_code, response.text, [c.args for c in
                                                          self.mock.calls(f"response_url:{where}")])

    async def submit(self, who: str, opened: dict, values: dict[str, str],
                     **signing: Any) -> httpx.Response:
        """`who` fills in the modal Concerted opened (a views.open call's view) and submits it."""
        body = self.submission_body(who, opened, values)
        response = await self.post(body, **signing)
        await self.settle()
        return response

    def submission_body(self, who: str, opened: dict, values: dict[str, str]) -> bytes:
        state = {}
        for block in opened["blocks"]:
            key = block.get("block_id")
            if block["type"] != "input" or key not in values:
                continue
            state[key] = {key: _state(block["element"]["type"], values[key])}
        return view_submission_body(CALLBACK, private_metadata=opened["private_metadata"],
                                    state_values=state, user_id=PEOPLE[who], user_name=who,
                                    view_id=f"V0{next(self._serial):06d}")

    async def open_home(self, who: str) -> dict:
        """`who` opens the App Home tab; returns the view Concerted published for them."""
        before = len(self.mock.calls("views.publish"))
        response = await self.post(app_home_opened_event(PEOPLE[who]))
        assert response.status_code == 200
        await self.settle()
        published = self.mock.calls("views.publish")[before:]
        assert published, "Concerted published no Home view"
        return _json(published[-1].args["view"])

    async def click(self, who: str, action_id: str, *, view: dict | None = None) -> httpx.Response:
        body = block_actions_body(action_id, user_id=PEOPLE[who], user_name=who, view=view)
        response = await self.post(body)
        await self.settle()
        return response

    def opened_views(self) -> list[dict]:
        return [_json(call.args["view"]) for call in self.mock.calls("views.open")]

    async def advance(self, span) -> int:
        """Move the clock and run the jobs that fall due, as the scheduler would."""
        self.clock.advance(span)
        runs = await asyncio.to_thread(self.app.jobs.run_due, self.clock.now())
        await self.settle()
        return runs

    async def settle(self) -> None:
        """Wait until Concerted has finished answering and every DM has gone out."""
        for _ in range(50):
            await asyncio.sleep(0)
            if not self.live.slack.background:
                await self.live.notifier.drain()
                if not self.live.slack.background:
                    return
            await self.live.slack.settle()

    def dms(self) -> list[dict]:
        """Every chat.postMessage to a person (a DM), as sent."""
        return [c.args for c in self.mock.calls("chat.postMessage")
                if str(c.args.get("channel", "")).startswith("U")]

    def count(self, model, *where) -> int:
        with self.app.unit() as uow:
            return uow.session.exec(select(func.count()).select_from(model).where(*where)).one()

    def outgoing(self) -> list[str]:
        """Every request body Concerted sent to Slack and every HTTP answer it gave, as text,
        for leak checks."""
        return ([call.body.decode("utf-8", "replace") + json.dumps(call.args)
                 for call in self.mock.calls()] + [json.dumps(r) for r in self.responses])


def _state(kind: str, value: str) -> dict:
    if kind == "radio_buttons":
        return option_value(value)
    if kind == "checkboxes":
        chosen = option_value(value)["selected_option"]
        return {"type": "checkboxes", "selected_options": [chosen] if value else []}
    return text_value(value)


def _json(value: Any) -> dict:
    return json.loads(value) if isinstance(value, str) else value



async def start_campaign(ws: Workspace, *, liaison: str | None = "carol",
                         members: tuple[str, ...] = ("bob",), headcount: int = 40) -> None:
    """alice leads `ethics`; `liaison` is its liaison; `members` joined."""
    await ws.command("alice", f"/campaign create ethics --headcount {headcount}")
    if liaison:
        await ws.command("alice", f"/campaign liaison add ethics {mention(liaison)}")
    for name in members:
        await ws.command(name, "/campaign join ethics")


def find(pattern: str, text: str) -> str:
    """The first match of `pattern` in `text` (its first group if it has one)."""
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in {text!r}"
    return match.group(1) if match.groups() else match.group(0)
