"""Where discord.py sends its REST calls and opens its gateway connection."""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

_DISCORD_API = Route.BASE
_DISCORD_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY


def point_discord_at(api_url: str | None, gateway_url: str | None) -> None:
    """Point discord.py's REST base and gateway at other URLs; None restores Discord's own."""
    api = _checked(api_url, ("http", "https"), "DISCORD_API_URL") or _DISCORD_API
    gateway = _checked(gateway_url, ("ws", "wss"), "DISCORD_GATEWAY_URL")
    # Route reads BASE each time a route is built, so this reaches the bot's own
    # calls and the interaction callbacks and webhooks alike. Call it before login.
    Route.BASE = api.rstrip("/")
    # A plain Client never asks GET /gateway/bot: it dials DEFAULT_GATEWAY, later
    # READY's resume_gateway_url, and DEFAULT_GATEWAY again after an invalid session.
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway) if gateway else _DISCORD_GATEWAY


def _checked(url: str | None, schemes: tuple[str, ...], setting: str) -> str | None:
    if url and yarl.URL(url).scheme not in schemes:
        allowed = " or ".join(f"{scheme}://" for scheme in schemes)
        raise ValueError(f"Setting '{setting}' must start with {allowed}, and '{url}' does not.")
    return url or None
