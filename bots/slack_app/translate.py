"""Named translators between Slack's wire formats and Concerted's plain values.

Inbound: a slash command becomes command text and a Person; a raw HTTP body
becomes a bolt request. Outbound: rendered mrkdwn becomes message blocks.
Nothing here talks to the network or the database.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from campaigns.core.privacy import Person

PLATFORM = "slack"
SLACKBOT = "USLACKBOT"
SECTION_MAX = 3000  # Slack refuses a section whose text is longer
BLOCKS_MAX = 50
FALLBACK_MAX = 3000
_LABELLED_USER = re.compile(r"<@([A-Z0-9]+)\|[^>]*>")
_ENTITIES = re.compile(r"&(amp|lt|gt);")
_FORM = "application/x-www-form-urlencoded"


def is_person(user: dict) -> bool:
    """Whether a users.list member counts towards the headcount: an active full member. Not
    bots and apps, Slackbot (which users.list does not flag as a bot), deactivated accounts,
    or guests (single- and multi-channel)."""
    return not (
        user.get("is_bot")
        or user.get("id") == SLACKBOT
        or user.get("deleted")
        or user.get("is_restricted")
        or user.get("is_ultra_restricted")
    )


def to_person(team_id: str, user_id: str) -> Person:
    """The person behind a Slack user in a workspace."""
    return Person(PLATFORM, team_id, user_id)


def to_text(command: str, text: str) -> str:
    """A slash command as the command text every adapter shares: `/campaign join ethics`.

    Slack sends `&`, `<` and `>` as entities and mentions as `<@U123|name>`;
    the entities are decoded and the display name dropped, so neither a name
    nor an entity ever reaches the parser or the database.
    """
    words = _ENTITIES.sub(lambda m: unescape(m.group(0)), text or "")
    words = _LABELLED_USER.sub(r"<@\1>", words)
    return f"/{command.lstrip('/')} {words}".rstrip()


def to_bolt_request(raw_body: str, query: str, headers: dict) -> AsyncBoltRequest:
    """A bolt request from an HTTP body, read correctly even when it contains "payload".

    bolt 1.30 takes any form body containing the substring "payload" for an
    interactive `payload=` body, finds no such field and reads it as empty;
    a slash command whose text says "payload" would then go unanswered.
    """
    request = AsyncBoltRequest(body=raw_body, query=query, headers=headers)
    if request.body or not raw_body or not _is_form(request.content_type):
        return request
    request.body = dict(parse_qsl(raw_body, keep_blank_values=True))
    request.context = build_async_context(AsyncBoltContext(), request.body)
    return request


def _is_form(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == _FORM


def header(headers: dict, name: str) -> str | None:
    """A header's (first) value, from bolt's headers (lists of values) or the ASGI request's
    (one string each)."""
    value = headers.get(name)
    if isinstance(value, str) or not value:
        return value or None
    return value[0]


def retry_number(headers: dict) -> int:
    """Which delivery attempt this is: 0 for the first, more when Slack is retrying."""
    try:
        return int(header(headers, "x-slack-retry-num") or 0)
    except (TypeError, ValueError):
        return 0


def to_blocks(text: str) -> list[dict]:
    """Rendered mrkdwn as section blocks, split at paragraphs to fit Slack's limits."""
    blocks = [_section(chunk) for chunk in _chunks(text.strip(), SECTION_MAX)]
    return blocks[:BLOCKS_MAX]


def to_message(text: str, extra: list[dict] | None = None) -> dict:
    """A message with blocks and the plain fallback Slack shows in notifications."""
    fallback = text if len(text) <= FALLBACK_MAX else text[: FALLBACK_MAX - 1] + "…"
    blocks = to_blocks(text) + list(extra or [])
    return {"text": fallback, "blocks": blocks[:BLOCKS_MAX]}


def to_messages(parts: list[tuple[str, list[dict]]]) -> list[dict]:
    """Several answers packed into as few messages as fit (a response_url takes five)."""
    messages: list[dict] = []
    texts: list[str] = []
    blocks: list[dict] = []
    for text, extra in parts:
        part = (to_blocks(text) + list(extra))[:BLOCKS_MAX]
        if blocks and len(blocks) + 1 + len(part) > BLOCKS_MAX:
            messages.append(_packed(texts, blocks))
            texts, blocks = [], []
        blocks += ([{"type": "divider"}] if blocks else []) + part
        texts.append(text)
    if blocks:
        messages.append(_packed(texts, blocks))
    return messages


def _packed(texts: list[str], blocks: list[dict]) -> dict:
    fallback = "\n\n".join(texts)
    if len(fallback) > FALLBACK_MAX:
        fallback = fallback[: FALLBACK_MAX - 1] + "…"
    return {"text": fallback, "blocks": blocks}


def plain(text: str, limit: int | None = None) -> dict:
    """A plain_text object; Slack shows its content as typed, so it needs no escaping."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text, "emoji": True}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunks(text: str, limit: int) -> list[str]:
    if not text:
        return []
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(paragraph) > limit:
            cut = _cut_point(paragraph, limit)
            chunks.append(paragraph[:cut].rstrip())
            paragraph = paragraph[cut:].lstrip()
        current = paragraph
    if current:
        chunks.append(current)
    return chunks


def _cut_point(text: str, limit: int) -> int:
    # Prefer a line break, then a space, and never cut an escaped entity in half.
    for mark in ("\n", " "):
        at = text.rfind(mark, 0, limit)
        if at > limit // 2:
            return at
    at = text.rfind("&", limit - 5, limit)
    return at if at > 0 else limit
