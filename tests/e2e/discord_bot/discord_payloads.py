"""Raw Discord payloads, shaped as Discord sends them, for the fake Discord and its tests."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import discord

APPLICATION_ID = 1290000000000000001
BOT_USER_ID = APPLICATION_ID  # Discord gives a bot user its application's id.
GUILD_ID = 1290000000000000100
CHANNEL_ID = 1290000000000000200
PEOPLE = ("alice", "bob", "carol", "dave", "erin")
# What a member may do in the text channel, and what the bot may do there.
MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, read_message_history=True, use_application_commands=True
).value
APP_PERMISSIONS = MEMBER_PERMISSIONS | discord.Permissions(embed_links=True).value
_PERSON_BASE_ID = 1290000000000001000
_DM_OFFSET = 500_000_000
_DISCORD_EPOCH_MS = 1420070400000
_JOINED = "2024-03-01T09:00:00+00:00"
_sequence = itertools.count()


def snowflake() -> str:
    """A fresh id shaped like Discord's: milliseconds since 2015 in the high bits."""
    milliseconds = int(time.time() * 1000) - _DISCORD_EPOCH_MS
    return str((milliseconds << 22) | (next(_sequence) & 0x3FFFFF))


def person_id(name: str) -> int:
    """The user id of a person in the fake guild: 'alice' ... 'erin', then 'member6', ..."""
    number = PEOPLE.index(name) + 1 if name in PEOPLE else int(name.removeprefix("member"))
    return _PERSON_BASE_ID + number


def person_name(user_id: int) -> str:
    """The username person_id gave user_id."""
    number = user_id - _PERSON_BASE_ID
    return PEOPLE[number - 1] if 0 < number <= len(PEOPLE) else f"member{number}"


def dm_channel_id(user_id: int) -> int:
    """The id of the bot's DM channel with user_id."""
    return user_id + _DM_OFFSET


def user_object(user_id: int | str, username: str, *, bot: bool = False) -> dict[str, Any]:
    """A raw user object."""
    return {
        "id": str(user_id), "username": username, "global_name": None if bot else username.title(),
        "discriminator": "0", "avatar": None, "public_flags": 0, "bot": bot,
    }


def person_object(user_id: int) -> dict[str, Any]:
    """The raw user object of the person with user_id (see person_id)."""
    return user_object(user_id, person_name(user_id))


def member_object(user: dict[str, Any], permissions: int | None = None) -> dict[str, Any]:
    """A raw guild member object; in interactions it also carries the member's permissions."""
    member = {
        "user": user, "roles": [], "joined_at": _JOINED, "nick": None, "avatar": None,
        "premium_since": None, "deaf": False, "mute": False, "flags": 0, "pending": False,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        member["permissions"] = str(permissions)
    return member


def text_channel_object() -> dict[str, Any]:
    """The fake guild's one text channel, #general."""
    return {
        "id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "general",
        "position": 0, "permission_overwrites": [], "parent_id": None, "topic": None,
        "nsfw": False, "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
    }


def dm_channel_object(user: dict[str, Any]) -> dict[str, Any]:
    """The bot's DM channel with user."""
    channel_id = str(dm_channel_id(int(user["id"])))
    return {"id": channel_id, "type": 1, "recipients": [user], "last_message_id": None, "flags": 0}


def guild_object(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The fake guild as GUILD_CREATE carries it; a large guild sends its first 250 members."""
    everyone = {
        "id": str(GUILD_ID), "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS),
        "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(GUILD_ID), "name": "Ledgerline Staff", "icon": None, "unavailable": False,
        "owner_id": str(person_id("alice")), "roles": [everyone], "emojis": [], "stickers": [],
        "features": [], "member_count": len(members), "large": len(members) >= 250,
        "members": members[:250], "channels": [text_channel_object()], "threads": [],
        "presences": [], "voice_states": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": [], "joined_at": _JOINED, "preferred_locale": "en-US",
        "verification_level": 1, "default_message_notifications": 1, "explicit_content_filter": 0,
        "mfa_level": 0, "nsfw_level": 0, "afk_timeout": 300, "premium_tier": 0,
        "system_channel_id": str(CHANNEL_ID),
    }


def message_object(
    channel_id: str, body: dict[str, Any], *, author: dict[str, Any], flags: int, webhook: bool
) -> dict[str, Any]:
    """The message Discord makes of a create-message body; webhook=True for interaction replies."""
    message = {
        "id": snowflake(), "type": 20 if webhook else 0, "channel_id": channel_id,
        "author": author, "content": body.get("content") or "", "embeds": body.get("embeds") or [],
        "components": body.get("components") or [], "attachments": [], "mentions": [],
        "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
        "timestamp": datetime.now(UTC).isoformat(), "edited_timestamp": None, "flags": flags,
        "application_id": str(APPLICATION_ID),
    }
    if webhook:
        message["webhook_id"] = str(APPLICATION_ID)
    return message


def _interaction(
    kind: int, data: dict[str, Any], *, user_id: int, guild_id: int | None,
    channel_id: int | None, locale: str, app_permissions: int, member_permissions: int,
) -> dict[str, Any]:
    user = person_object(user_id)
    payload: dict[str, Any] = {
        "id": snowflake(), "application_id": str(APPLICATION_ID), "type": kind, "data": data,
        "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48), "version": 1, "locale": locale,
        "app_permissions": str(app_permissions), "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild_id is None:
        channel = dm_channel_object(user)
        payload.update(user=user, context=1, authorizing_integration_owners={"1": user["id"]})
    else:
        channel = {**text_channel_object(), "guild_id": str(guild_id)}
        channel["id"] = str(channel_id or CHANNEL_ID)
        payload.update(
            guild_id=str(guild_id), guild_locale="en-US", context=0,
            guild={"id": str(guild_id), "locale": "en-US", "features": []},
            member=member_object(user, member_permissions),
            authorizing_integration_owners={"0": str(guild_id)},
        )
    return {**payload, "channel_id": channel["id"], "channel": channel}


def _option(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        kind = 5
    elif isinstance(value, int):
        kind = 4
    elif isinstance(value, float):
        kind = 10
    else:
        kind = 3
    return {"name": name, "type": kind, "value": value}


def command_payload(
    name: str,
    subcommand_path: str | Sequence[str] = (),
    options: dict[str, Any] | list[dict[str, Any]] | None = None,
    *,
    user_id: int = person_id("alice"),
    guild_id: int | None = GUILD_ID,
    channel_id: int | None = None,
    command_id: int | None = None,
    command_guild_id: int | None = None,
    locale: str = "en-US",
    app_permissions: int = APP_PERMISSIONS,
    member_permissions: int = MEMBER_PERMISSIONS,
) -> dict[str, Any]:
    """A raw APPLICATION_COMMAND interaction (type 2), e.g. command_payload("campaign", "help").

    subcommand_path is "group sub", "sub" or a sequence of names. options maps names to
    values (type from str, int, float, bool) or is a raw option list. guild_id=None makes
    it a DM invocation; command_guild_id marks a guild-scoped command.
    """
    path = subcommand_path.split() if isinstance(subcommand_path, str) else list(subcommand_path)
    if isinstance(options, dict):
        nested = [_option(key, value) for key, value in options.items()]
    else:
        nested = list(options or [])
    for depth, part in enumerate(reversed(path)):
        nested = [{"name": part, "type": 1 if depth == 0 else 2, "options": nested}]
    data: dict[str, Any] = {"id": str(command_id or snowflake()), "name": name, "type": 1}
    if nested:
        data["options"] = nested
    if command_guild_id is not None:
        data["guild_id"] = str(command_guild_id)
    return _interaction(
        2, data, user_id=user_id, guild_id=guild_id, channel_id=channel_id, locale=locale,
        app_permissions=app_permissions, member_permissions=member_permissions,
    )


def modal_submit_payload(
    custom_id: str,
    fields: dict[str, str],
    *,
    user_id: int = person_id("alice"),
    guild_id: int | None = GUILD_ID,
    channel_id: int | None = None,
    locale: str = "en-US",
) -> dict[str, Any]:
    """A raw MODAL_SUBMIT interaction (type 5): an action row per text input, custom_id -> value."""
    ids = itertools.count(1)
    rows = [
        {"type": 1, "id": next(ids), "components": [
            {"type": 4, "id": next(ids), "custom_id": field_id, "value": value},
        ]}
        for field_id, value in fields.items()
    ]
    return _interaction(
        5, {"custom_id": custom_id, "components": rows}, user_id=user_id, guild_id=guild_id,
        channel_id=channel_id, locale=locale, app_permissions=APP_PERMISSIONS,
        member_permissions=MEMBER_PERMISSIONS,
    )


def component_payload(
    custom_id: str,
    message: dict[str, Any],
    *,
    component_type: int = 2,
    user_id: int = person_id("alice"),
    guild_id: int | None = GUILD_ID,
) -> dict[str, Any]:
    """A raw MESSAGE_COMPONENT interaction (type 3): a click on a button of `message`."""
    payload = _interaction(
        3, {"custom_id": custom_id, "component_type": component_type}, user_id=user_id,
        guild_id=guild_id, channel_id=int(message["channel_id"]), locale="en-US",
        app_permissions=APP_PERMISSIONS, member_permissions=MEMBER_PERMISSIONS,
    )
    return {**payload, "message": message}
