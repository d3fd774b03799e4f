"""What every dashboard response carries, and the checks in front of the pages.

Headers: a strict Content-Security-Policy (our own origin only, no inline
script or style), no caching, no referrer, no framing, no type sniffing.
The session cookie is HttpOnly and SameSite=Strict, and Secure when the
public address is https. Link exchanges are rate limited per client address.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "concerted_dashboard"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
_REPLACED = {name for name, _ in HEADERS}


class SecurityHeaders:
    """ASGI middleware: the same protective headers on every response, errors included."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _REPLACED]
                message = {**message, "headers": [*kept, *HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimit:
    """At most `limit` attempts per client address in any `window` seconds, kept in memory."""

    def __init__(self, limit: int = 10, window: float = 60.0, max_clients: int = 10_000):
        self.limit, self.window, self.max_clients = limit, window, max_clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        """Count one attempt from `client`; False when it is over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) >= self.max_clients:
                self._forget_before(now - self.window)
            attempts = self._seen.setdefault(client, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                return False
            attempts.append(now)
            return True

    def _forget_before(self, moment: float) -> None:
        for client in [c for c, seen in self._seen.items() if not seen or seen[-1] <= moment]:
            del self._seen[client]


def csrf_token(session: str) -> str:
    """The sign-out form's token: derived from the session cookie, which a page elsewhere
    cannot read, so a form posted from elsewhere cannot carry it."""
    return hmac.new(session.encode(), b"concerted:sign-out", hashlib.sha256).hexdigest()


def csrf_ok(session: str | None, sent: str | None) -> bool:
    return bool(session and sent) and hmac.compare_digest(csrf_token(session), sent)


def cookie_options(public_url: str) -> dict:
    """Starlette `set_cookie` options for the session cookie."""
    return {"httponly": True, "samesite": "strict", "path": "/",
            "secure": public_url.startswith("https://")}
