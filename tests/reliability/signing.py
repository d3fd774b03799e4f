"""A pledge to sign over Slack, the signed requests that sign it, and a ledger of who signed.

The ledger reads the database directly with the key file, as an auditor
would: it turns each signer's Slack id into the campaign's member_ref and
counts that member's signatures, so a lost or doubled signature shows up by
person, not just in a total.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from bots.commands.replies import Kind
from bots.runtime.bootstrap import build
from campaigns.core import db
from campaigns.core.models import Campaign, Member, Signature
from campaigns.core.privacy import Person, load_master_key
from settings import Settings
from tests.e2e.slack_app.mock_slack import TEAM_ID, MockSlack
from tests.e2e.slack_app.payloads import sign, slash_command_body
from tests.e2e.slack_app.workspace import SECRET

CAMPAIGN = "ethics"
LEAD = "U0ALICE"
SIGNED = "You signed the pledge"
ALREADY = "You had already signed the pledge"


def signer(number: int) -> str:
    """The Slack user id of the number-th signer."""
    return f"U0SIGN{number:04d}"


def prepare_pledge(settings: Settings, headcount: int = 5000) -> None:
    """alice opens the open campaign `ethics` and its pledge, through the Slack dispatcher."""
    app = build(settings, realtime=False, logging_setup=False)
    try:
        lead = Person("slack", TEAM_ID, LEAD)
        dispatcher = app.dispatcher("slack")
        for line in (f"/campaign create {CAMPAIGN} --headcount {headcount}",
                     f'/pledge create {CAMPAIGN} --text "We will not onboard nudify apps."'):
            [reply] = dispatcher.run(lead, line)
            assert reply.kind is not Kind.REFUSAL, (line, reply)
    finally:
        app.close()


def sign_request(mock: MockSlack, user_id: str, reply_to: str, *,
                 retry_num: int | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and headers of `/pledge sign ethics` typed by user_id, answered at reply_to."""
    body = slash_command_body("/pledge", f"sign {CAMPAIGN}", user_id=user_id,
                              user_name=user_id.lower(), response_url=mock.response_url(reply_to))
    return body, sign(body, SECRET, retry_num=retry_num)


def replies_by_name(mock: MockSlack, prefix: str) -> dict[str, list[str]]:
    """The texts that reached each response_url whose name starts with prefix."""
    found: dict[str, list[str]] = {}
    for call in mock.calls():
        if call.method.startswith(f"response_url:{prefix}"):
            name = call.method.removeprefix("response_url:")
            found.setdefault(name, []).append(call.args.get("text", ""))
    return found


class Told:
    """What each request's sender was told, by the request's response_url name: the answer
    its acknowledgement carried, if any, then whatever reached its response_url."""

    def __init__(self, mock: MockSlack):
        self.mock = mock
        self.in_acks: dict[str, list[str]] = {}

    def ack(self, name: str, status: int, body: bytes | str) -> None:
        """Note the HTTP acknowledgement of the request answered at `name`."""
        if status == 200 and body.strip():
            self.in_acks.setdefault(name, []).append(json.loads(body)["text"])

    def by_name(self, prefix: str) -> dict[str, list[str]]:
        found = {name: list(texts) for name, texts in self.in_acks.items()
                 if name.startswith(prefix)}
        for name, texts in replies_by_name(self.mock, prefix).items():
            found.setdefault(name, []).extend(texts)
        return found

    async def wait(self, prefix: str, count: int, timeout: float, *,
                   at_least: bool = False) -> dict[str, list[str]]:
        """The answers to requests named prefix…, once `count` of them have come."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.by_name(prefix)
            if len(found) >= count and (at_least or sum(map(len, found.values())) >= count):
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"fewer than {count} answers to {prefix}… within {timeout} s")


class Ledger:
    """Signatures on the campaign's pledge, by Slack user, read from the database as stored."""

    def __init__(self, database_url: str, key_file: Path):
        self.engine = db.make_engine(database_url)
        self.keys = load_master_key(key_file, database_has_data=True, stored_check=None)

    def close(self) -> None:
        self.engine.dispose()

    def signatures(self, user_ids: list[str]) -> Counter[str]:
        """How many signatures each user has (0 for none), by their member_ref."""
        with Session(self.engine) as session:
            campaign = session.exec(select(Campaign).where(Campaign.name == CAMPAIGN)).one()
            vault = self.keys.vault(campaign.wrapped_key, campaign.id)
            rows = session.exec(
                select(Member.member_ref, func.count(Signature.id))
                .join(Signature, Signature.member_id == Member.id)
                .where(Member.campaign_id == campaign.id)
                .group_by(Member.member_ref)
            ).all()
        per_ref = dict(rows)
        return Counter({user: per_ref.get(vault.member_ref(Person("slack", TEAM_ID, user)), 0)
                        for user in user_ids})

    def totals(self) -> tuple[int, int]:
        """(signatures, members) in the whole database."""
        with Session(self.engine) as session:
            signatures = session.exec(select(func.count()).select_from(Signature)).one()
            members = session.exec(select(func.count()).select_from(Member)).one()
        return signatures, members
