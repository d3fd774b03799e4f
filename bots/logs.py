"""Logging that carries event names and opaque ids only (DESIGN §4, CONVENTIONS 12).

slack_sdk, slack_bolt, discord.py, aiohttp and uvicorn print whole payloads,
user ids or message text at DEBUG; they are held at WARNING whatever our level.
"""

from __future__ import annotations

import logging

CHATTY = ("slack_sdk", "slack_bolt", "discord", "aiohttp", "uvicorn.access", "websockets",
          "apscheduler", "alembic", "sqlalchemy")


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger().setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
