"""Files a reply carries (charts, letters), handed to one person and kept out of any history.

Slack has no ephemeral file: a file shared into a channel or a DM stays in
that conversation's history, which workspace admins can export. So an image
is uploaded without sharing it (private to the bot) and shown inside the
ephemeral answer by file id; a text file is shown as text in that answer; any
other file (a PDF letter) stays on the server, and the answer says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bots.slack_app.adapter import Slack
from bots.slack_app.translate import to_blocks
from bots.slack_app.views import labels

log = logging.getLogger("concerted.slack.files")
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif"})
TEXTS = frozenset({".md", ".txt"})
TEXT_MAX = 12_000


async def file_blocks(slack: Slack, paths: tuple[Path, ...]) -> list[dict]:
    """Blocks that show each file to the person asking, and to nobody else."""
    blocks: list[dict] = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in IMAGES:
            file_id = await _upload_unshared(slack, path)
            if file_id:
                blocks.append({"type": "image", "slack_file": {"id": file_id},
                               "alt_text": labels()["chart"]})
                continue
        if suffix in TEXTS:
            text = (await slack.in_thread(path.read_text))[:TEXT_MAX]
            blocks += to_blocks(slack.render("adapter/file_text.j2", {"name": path.name, "text": text}))
        else:
            blocks += to_blocks(slack.render("adapter/file_kept.j2", {"name": path.name}))
    return blocks


async def _upload_unshared(slack: Slack, path: Path) -> str | None:
    try:
        answer = await slack.client.files_upload_v2(file=str(path), filename=path.name)
    except (SlackApiError, OSError) as exc:
        log.warning("slack.file_upload_failed error=%s", type(exc).__name__)
        return None
    uploaded = answer.get("file") or (answer.get("files") or [{}])[0]
    return uploaded.get("id")
