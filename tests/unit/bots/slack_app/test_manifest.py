"""The Slack app manifest matches what the app does."""

from __future__ import annotations

from pathlib import Path

import yaml

from bots.commands.registry import registry

MANIFEST = Path(__file__).resolve().parents[4] / "bots" / "slack_app" / "manifest.yml"


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_every_command_the_bot_answers_is_a_slash_command_with_escaped_mentions():
    commands = _manifest()["features"]["slash_commands"]

    assert sorted(c["command"] for c in commands) == sorted(f"/{c}" for c in registry().commands)
    assert all(c["should_escape"] is True for c in commands)


def test_the_app_asks_only_for_the_scopes_it_uses():
    scopes = _manifest()["oauth_config"]["scopes"]["bot"]

    assert sorted(scopes) == ["chat:write", "commands", "files:write", "im:write", "users:read"]


def test_the_app_home_and_socket_mode_are_set_up():
    manifest = _manifest()

    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
