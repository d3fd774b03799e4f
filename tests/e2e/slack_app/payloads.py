"""Builders for the exact bytes and headers Slack sends to an app over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.e2e.slack_app.mock_slack import BOT_USER_ID, TEAM_ID

APP_ID = "A0CONCERT"
TEAM_DOMAIN = "concerted-test"
# The deprecated verification token Slack still puts in every payload; bolt ignores it.
VERIFICATION_TOKEN = "vErIfIcAtIoNtOkEn"

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_serial = itertools.count(1)


def slash_command_body(
    command: str,
    text: str = "",
    *,
    response_url: str,
    user_id: str = "U0ALICE",
    user_name: str = "alice",
    team_id: str = TEAM_ID,
    channel_id: str = "C0GENERAL",
    channel_name: str = "general",
    trigger_id: str | None = None,
    enterprise_id: str | None = None,
) -> bytes:
    """The form body Slack posts when someone runs a slash command."""
    fields = [("token", VERIFICATION_TOKEN), ("team_id", team_id), ("team_domain", TEAM_DOMAIN)]
    if enterprise_id:
        fields += [("enterprise_id", enterprise_id), ("enterprise_name", "Concerted Grid")]
    fields += [
        ("channel_id", channel_id),
        ("channel_name", channel_name),
        ("user_id", user_id),
        ("user_name", user_name),
        ("command", command),
        ("text", text),
        ("api_app_id", APP_ID),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id or new_trigger_id()),
    ]
    return urlencode(fields).encode()


def slack_view(
    view_id: str = "V0MODAL",
    *,
    kind: str = "modal",
    callback_id: str = "",
    private_metadata: str = "",
    state_values: dict[str, Any] | None = None,
    blocks: list[dict[str, Any]] | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A view as it appears inside interactive payloads, with the state Slack collected."""
    return {
        "id": view_id,
        "team_id": team_id,
        "type": kind,
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": state_values or {}},
        "hash": f"{int(time.time())}.{view_id}",
        "title": {"type": "plain_text", "text": "Concerted", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True}
        if kind == "modal"
        else None,
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "B0CONCERT",
    }


def text_value(value: str) -> dict[str, Any]:
    """The state Slack reports for a plain_text_input element."""
    return {"type": "plain_text_input", "value": value}


def option_value(value: str, kind: str = "radio_buttons") -> dict[str, Any]:
    """The state Slack reports for a chosen radio button or static_select option."""
    option = {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
    return {"type": kind, "selected_option": option}


def view_submission_body(
    callback_id: str,
    *,
    private_metadata: str = "",
    state_values: dict[str, Any] | None = None,
    user_id: str = "U0ALICE",
    user_name: str = "alice",
    team_id: str = TEAM_ID,
    view_id: str = "V0MODAL",
) -> bytes:
    """The form body Slack posts when someone submits a modal."""
    view = slack_view(
        view_id,
        callback_id=callback_id,
        private_metadata=private_metadata,
        state_values=state_values,
        team_id=team_id,
    )
    payload = {
        "type": "view_submission",
        **_actor(user_id, user_name, team_id),
        "trigger_id": new_trigger_id(),
        "view": view,
        "response_urls": [],
    }
    return _interactive(payload)


def block_actions_body(
    action_id: str,
    value: str = "",
    *,
    block_id: str = "actions",
    user_id: str = "U0ALICE",
    user_name: str = "alice",
    team_id: str = TEAM_ID,
    view: dict[str, Any] | None = None,
    channel_id: str = "C0GENERAL",
    response_url: str | None = None,
    ephemeral: bool = True,
) -> bytes:
    """The form body Slack posts when someone clicks a button, in a view or in a message."""
    action = {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": value or action_id, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": _ts(),
    }
    payload = {
        "type": "block_actions",
        **_actor(user_id, user_name, team_id),
        "trigger_id": new_trigger_id(),
        **_container(view, channel_id, response_url, ephemeral),
        "state": {"values": {}},
        "actions": [action],
    }
    return _interactive(payload)


def event_callback_body(event: dict[str, Any], *, team_id: str = TEAM_ID) -> bytes:
    """The JSON body the Events API posts for one event."""
    body = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_serial):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{next(_serial):08d}",
    }
    return _compact(body).encode()


def app_home_opened_event(
    user_id: str,
    team_id: str = TEAM_ID,
    *,
    tab: str = "home",
    view: dict[str, Any] | None = None,
) -> bytes:
    """The Events API body sent when someone opens the app's Home (or Messages) tab."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D" + user_id[1:],
        "tab": tab,
        "event_ts": _ts(),
    }
    if view is not None:  # Slack includes the view only once one has been published.
        event["view"] = view
    return event_callback_body(event, team_id=team_id)


def sign(
    body: bytes,
    secret: str,
    timestamp: int | None = None,
    *,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """The headers Slack sends with body: signature, timestamp, content type and any retry."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": JSON if body.startswith(b"{") else FORM,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def new_trigger_id() -> str:
    """A fresh trigger_id in Slack's format."""
    serial = next(_serial)
    return f"{int(time.time())}{serial:04d}.{serial:09d}.{hashlib.md5(str(serial).encode()).hexdigest()}"


def _actor(user_id: str, user_name: str, team_id: str) -> dict[str, Any]:
    return {
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _container(
    view: dict[str, Any] | None, channel_id: str, response_url: str | None, ephemeral: bool
) -> dict[str, Any]:
    if view is not None:
        return {"container": {"type": "view", "view_id": view["id"]}, "view": view}
    if response_url is None:
        raise ValueError("A block action on a message needs a response_url; pass the mock's.")
    ts = _ts()
    container = {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel_id,
        "is_ephemeral": ephemeral,
    }
    fields = {"container": container, "channel": {"id": channel_id, "name": "general"}}
    if not ephemeral:  # Slack cannot send back an ephemeral message, so it leaves it out.
        fields["message"] = {"type": "message", "user": BOT_USER_ID, "ts": ts, "text": ""}
    return {**fields, "response_url": response_url}


def _interactive(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": _compact(payload)}).encode()


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _ts() -> str:
    return f"{time.time():.6f}"
