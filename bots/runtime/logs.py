"""Logging that carries event names and opaque ids only: logs are read by more people than
the data, so no platform id, name or text goes in them (docs/PRIVACY.md).

Chat libraries print whole payloads, user ids and message text: slack_bolt
logs the raw body of a request that fails signature checks even at INFO,
slack_sdk and discord.py print every request and event at DEBUG. Their own
loggers cannot be trusted to stay quiet (slack_bolt copies the root level
into its loggers when an app is built), so the filter sits on our handlers:
only records of our own `concerted.*` loggers keep their text; any other
record below WARNING is dropped, and one at WARNING or above keeps its
logger name, level and exception type, but none of its text.
"""

from __future__ import annotations

import logging

OURS = "concerted"
THIRD_PARTY = ("slack_sdk", "slack_bolt", "discord", "aiohttp", "uvicorn", "websockets",
               "websocket", "apscheduler", "alembic", "sqlalchemy", "asyncio", "httpx",
               "httpcore", "urllib3", "matplotlib", "PIL", "fpdf", "fontTools")
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class WithholdThirdPartyText(logging.Filter):
    """Keeps that something happened in another library, never what it was about."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == OURS or record.name.startswith(OURS + "."):
            return True
        if record.levelno < logging.WARNING:
            return False
        error = record.exc_info[1] if record.exc_info else None
        record.msg = "event withheld%s"
        record.args = (f" error={type(error).__name__}" if error else "",)
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Send our log records, and withheld summaries of other libraries' records, to stderr."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_concerted", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(WithholdThirdPartyText())
    handler._concerted = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in THIRD_PARTY:
        # Also spare the libraries the work of formatting payloads nobody will read.
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
