"""What fuzzed input is made of, and what every answer to it must look like.

The checks are those a person would notice: an answer that is empty, shows
a template's name, a traceback or "None", says something went wrong on our
side, or pings a whole channel because it echoed what someone typed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from bots.commands.parser import Invocation
from bots.commands.replies import FormRequest, Kind, Reply

NASTY = [
    "ethics", "ETHICS", "nope", "", " ", "payload", "payload=x", '{"payload": 1}', "<!channel>",
    "<!here>", "<!everyone>", "@channel", "@everyone", "<@U0BOB|bob>", "<@U0BOB>", "<@>",
    "<#C0GENERAL|general>", "<https://evil.example|click here>", "&lt;!channel&gt;", "&amp;",
    '"', "'", "“quoted”", '"unterminated', "--", "--text", "-", "\n", "\t", "\u202eevil",
    "ünïcödé ✊🏽", "名前", "0", "-1", "1e9", "999999999999", "NaN", "30d", "72h", "2027-01-31",
    "help", "G-XXXX", "P-1", "#1", "a" * 3000, "👍" * 300,
    # Past what the database or Python's dates hold: once "try again" on PostgreSQL, or a crash.
    "2147483648", "99999999999999999999", "²", "99999999999d", "9999999d", "99999999999:00",
]
words = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
# What a person should never see unless they typed it themselves.
_NEVER = ("Traceback", ".j2", "{{", "{%", "errors/", "None", "went wrong on our side",
          "could not be reached")
_PINGS = ("<!channel>", "<!here>", "<!everyone>")


def unreadable(text: str, sent: str, *, mrkdwn: bool = True) -> str | None:
    """Why `text`, an answer to what was `sent`, is not a readable answer; None if it is."""
    if not text.strip():
        return "an empty answer"
    for bad in _NEVER:
        if bad in text and bad not in sent:
            return f"the answer shows {bad!r}"
    if mrkdwn:
        for ping in _PINGS:
            if ping in text:
                return f"the answer pings everyone with {ping}"
    return None


def texts_in(value: Any) -> Iterator[str]:
    """Every `text` string inside a Slack message or view, however deep."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "text" and isinstance(inner, str):
                yield inner
            else:
                yield from texts_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts_in(inner)


class Outcomes:
    """Records what the dispatcher answered, so a test knows a refusal from a success."""

    def __init__(self, dispatcher, monkeypatch):
        self.seen: list[list[Reply] | FormRequest] = []
        self._depth = threading.local()
        for name in ("run", "read", "invoke", "invoke_many"):
            monkeypatch.setattr(dispatcher, name, self._recording(getattr(dispatcher, name),
                                                                  many=name == "invoke_many"))

    def _recording(self, method, many: bool = False):
        def recorded(*args, **kwargs):
            # run() calls read() and invoke(): only the outer call is one command's outcome;
            # invoke_many() (bots/runtime/lane.py) gives one for each command it ran.
            depth = getattr(self._depth, "n", 0)
            self._depth.n = depth + 1
            try:
                outcome = method(*args, **kwargs)
            finally:
                self._depth.n = depth
            if depth == 0 and many:
                self.seen.extend(outcome)
            elif depth == 0 and isinstance(outcome, Reply):
                self.seen.append([outcome])  # read() answered the text itself (help, refusal)
            elif depth == 0 and not isinstance(outcome, Invocation):  # invoke() records it
                self.seen.append(outcome)
            return outcome
        return recorded

    def take(self) -> list[Reply]:
        """The replies recorded since the last take (forms requested count as no reply)."""
        seen, self.seen = self.seen, []
        return [reply for outcome in seen if isinstance(outcome, list) for reply in outcome]


def stores_nothing(replies: list[Reply]) -> bool:
    """Whether these replies promise that nothing was stored: a refusal, or a warning first."""
    return any(r.kind in (Kind.REFUSAL, Kind.WARNING) for r in replies)
