"""Drives the real Concerted Discord client through the fake Discord, as people would."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bots.discord_bot.client import ConcertedClient
from campaigns.core.clock import ManualClock
from tests.e2e.discord_bot.discord_payloads import (
    APPLICATION_ID,
    command_payload,
    component_payload,
    member_object,
    modal_submit_payload,
    person_id,
    person_object,
)
from tests.e2e.discord_bot.fake_discord import FakeDiscord

EPHEMERAL = 64
NOBODY = {"parse": []}


@dataclass
class Answer:
    """What one interaction got back: the callback (a response itself, type 4, or a deferral,
    type 5), then every followup message; the files of each message, in the same order."""

    callback: dict[str, Any]
    followups: list[dict[str, Any]] = field(default_factory=list)
    files: list[list[str]] = field(default_factory=list)

    @property
    def deferred(self) -> bool:
        return self.callback["type"] == 5

    @property
    def messages(self) -> list[dict[str, Any]]:
        first = [self.callback["data"]] if self.callback["type"] == 4 else []
        return first + self.followups

    @property
    def text(self) -> str:
        return "\n".join(message.get("content") or "" for message in self.messages)

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.callback["data"] if self.callback["type"] == 9 else None

    def modal_inputs(self) -> dict[str, dict[str, Any]]:
        """The modal's text inputs by custom_id, wherever Discord's layout puts them."""
        found: dict[str, dict[str, Any]] = {}

        def walk(component: dict[str, Any]) -> None:
            if component.get("type") == 4:
                found[component["custom_id"]] = component
            for child in component.get("components", []):
                walk(child)
            if "component" in component:
                walk(component["component"])

        for row in (self.modal or {}).get("components", []):
            walk(row)
        return found

    def assert_private_and_silent(self) -> None:
        """Only the asker sees it, and no text in it can ping anyone."""
        if self.callback["type"] == 5:
            assert self.callback["data"]["flags"] & EPHEMERAL
        for message in self.messages:
            assert message["flags"] & EPHEMERAL, message
            assert message["allowed_mentions"] == NOBODY, message


class Bot:
    """The client connected to the fake; people act by name ('alice', 'bob', ...)."""

    def __init__(self, client: ConcertedClient, fake: FakeDiscord, clock: ManualClock,
                 caplog: Any = None):
        self.client, self.fake, self.clock, self.caplog = client, fake, clock, caplog
        self.app = client.app

    def forgive(self) -> list[BaseException]:
        """The failures a test provoked on purpose, cleared so they do not fail it."""
        failures, self.client.failures[:] = list(self.client.failures), []
        if self.caplog is not None:
            self.caplog.clear()
        return failures

    async def send(self, payload: dict[str, Any], timeout: float = 10.0) -> Answer:
        """Dispatch a raw interaction and wait until the bot has answered it completely."""
        answered = asyncio.ensure_future(self.client.wait_for(
            "concerted_answered", check=lambda i: str(i.id) == payload["id"], timeout=timeout))
        await asyncio.sleep(0)
        await self.fake.dispatch_interaction(payload)
        await answered
        callback = await self.fake.wait_for_callback(payload["id"])
        path = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
        calls = self.fake.calls_to("POST", path)
        files = [call.files for call in calls]
        if callback["type"] == 4:
            [responded] = self.fake.calls_to(
                "POST", f"/interactions/{payload['id']}/{payload['token']}/callback")
            files.insert(0, responded.files)
        return Answer(callback, [call.json for call in calls], files)

    async def run(self, who: str, command: str, sub: str | list[str] = (),
                  options: dict[str, Any] | None = None, *, users: dict[str, str] | None = None,
                  **payload_options: Any) -> Answer:
        """`who` runs `/command sub` with options (and people as USER options), as Discord sends it."""
        raw = [{"name": name, "type": 5 if isinstance(value, bool) else 3, "value": value}
               for name, value in (options or {}).items()]
        resolved: dict[str, dict[str, Any]] = {"users": {}, "members": {}}
        for name, person in (users or {}).items():
            option, found = user_option(name, person)
            raw.append(option)
            for kind, items in found.items():
                resolved[kind].update(items)
        payload = command_payload(command, sub, raw, user_id=person_id(who), **payload_options)
        if users:
            payload["data"]["resolved"] = resolved
        return await self.send(payload)

    async def submit(self, who: str, modal: dict[str, Any], fields: dict[str, str]) -> Answer:
        """`who` fills in and submits the modal the bot opened."""
        return await self.send(modal_submit_payload(modal["custom_id"], fields,
                                                    user_id=person_id(who)))

    async def click(self, who: str, answer: Answer, label: str) -> Answer:
        """`who` clicks the button labelled `label` under the last message of `answer`."""
        custom_id = next(button["custom_id"] for row in answer.messages[-1]["components"]
                         for button in row["components"] if button["label"] == label)
        message = next(m for m in self.fake.messages.values()
                       if any(b.get("custom_id") == custom_id
                              for row in m["components"] for b in row["components"]))
        return await self.send(component_payload(custom_id, message, user_id=person_id(who)))

    async def advance(self, span: timedelta) -> int:
        """Move the clock on and run what falls due, in a worker thread as the scheduler does."""
        self.clock.advance(span)
        runs = await asyncio.to_thread(self.app.jobs.run_due, self.clock.now())
        await self.app.notifier.drain()
        return runs

    async def dms(self, who: str) -> list[dict[str, Any]]:
        """The direct messages `who` got so far, once those on their way have arrived."""
        await self.app.notifier.drain()
        return self.fake.dms_to(person_id(who))


def user_option(name: str, who: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A USER option (type 6) and the resolved data Discord sends along with it."""
    user_id = person_id(who)
    option = {"name": name, "type": 6, "value": str(user_id)}
    member = member_object(person_object(user_id))
    del member["user"]
    resolved = {"users": {str(user_id): person_object(user_id)},
                "members": {str(user_id): member}}
    return option, resolved

