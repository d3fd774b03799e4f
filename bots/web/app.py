"""The dashboard's routes: a Starlette app served beside `/slack/events`, or on its own.

    GET  /                       the campaign of a live session, else "ask for a link"
    GET  /open/TOKEN             trade a one-time link for a session cookie, then a clean URL
    GET  /campaign/NAME          the overview page
    GET  /campaign/NAME/snapshots.csv|.json   a lead's download of the snapshot series
    POST /sign-out               end the session (with a CSRF token)
    GET  /static/dashboard.css   the one stylesheet
"""

from __future__ import annotations

import json
import logging
import secrets
import traceback
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from bots.output.i18n import Locality
from bots.runtime.bootstrap import App
from bots.web.overview import overview_of, series_of
from bots.web.pages import STATIC, Pages
from bots.web.security import (
    COOKIE,
    RateLimit,
    SecurityHeaders,
    cookie_options,
    csrf_ok,
    csrf_token,
)
from campaigns.core.errors import DashboardRefused, DashboardSessionEnded, LinkUnusable
from campaigns.membership.dashboard import (
    SESSION_LIFETIME,
    Viewer,
    dashboard_viewer,
    end_dashboard_session,
    open_dashboard_link,
    session_campaign,
)

log = logging.getLogger("concerted.web")
_LINK_STATUS = {"unknown": 404, "used": 410, "expired": 410, "ended": 410}


class Dashboard:
    """The request handlers, holding the app they read through."""

    def __init__(self, app: App, limit: RateLimit | None = None):
        self.app = app
        # Pages read in the campaign's language and zone, else the deployment's.
        self.pages = Pages(app.languages)
        self.limit = limit or RateLimit()

    @property
    def public_url(self) -> str:
        return self.app.web_url or self.app.settings.dashboard_url()

    def home(self, request: Request) -> Response:
        with self.app.unit() as uow:
            name = session_campaign(uow, request.cookies.get(COOKIE))
        if name is not None:
            return RedirectResponse(f"/campaign/{quote(name)}", status_code=303)
        return self.pages.page("ask_link.html.j2")

    def open_link(self, request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        if not self.limit.allow(client):
            log.info("web.link_rate_limited")
            return self.pages.page("rate_limited.html.j2", status=429)
        try:
            with self.app.unit() as uow:
                opened = open_dashboard_link(uow, request.path_params["token"])
        except LinkUnusable as exc:
            reason = exc.params["reason"]
            log.info("web.link_refused reason=%s", reason)
            return self.pages.page("link_problem.html.j2", status=_LINK_STATUS[reason],
                                   reason=reason)
        target = f"/campaign/{quote(opened.campaign)}"
        # A page that moves on by itself, not a 303: the next request then starts on this
        # site, so the SameSite=Strict cookie goes with it even when the link came from chat.
        response = self.pages.page("opened.html.j2",
                                   locality=Locality(opened.language, opened.timezone),
                                   target=target, name=opened.campaign)
        response.set_cookie(COOKIE, opened.token, max_age=int(SESSION_LIFETIME.total_seconds()),
                            **cookie_options(self.public_url))
        return response

    def _viewer(self, request: Request, uow) -> Viewer:
        return dashboard_viewer(uow, request.cookies.get(COOKIE), request.path_params["name"])

    def overview(self, request: Request) -> Response:
        try:
            with self.app.unit() as uow:
                viewer = self._viewer(request, uow)
                shown = overview_of(uow, viewer)
        except DashboardSessionEnded:
            return self.pages.page("ask_link.html.j2", status=401)
        except DashboardRefused:
            return self.pages.page("refused.html.j2", status=403)
        campaign = viewer.campaign
        return self.pages.page("overview.html.j2",
                               locality=Locality(campaign.language, campaign.timezone), o=shown,
                               csrf=csrf_token(request.cookies.get(COOKIE, "")))

    def download(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        try:
            with self.app.unit() as uow:
                viewer = self._viewer(request, uow)
                series = series_of(uow, viewer)
        except DashboardSessionEnded:
            return self.pages.page("ask_link.html.j2", status=401)
        except DashboardRefused:
            return self.pages.page("refused.html.j2", status=403)
        if kind not in ("csv", "json"):
            return self.pages.page("not_found.html.j2", status=404)
        if series is None:
            return self.pages.page("refused.html.j2", status=403)
        name = viewer.campaign.name
        k = self.app.rules.min_count
        disposition = {"content-disposition": f'attachment; filename="{name}-snapshots.{kind}"'}
        if kind == "json":
            body = json.dumps({"campaign": name, "k": k, "snapshots": [
                {"taken_at": p.taken_at.isoformat(), "supporters": p.supporters,
                 "fewer_than": None if p.supporters is not None else k} for p in series]},
                indent=1)
            return Response(body, media_type="application/json", headers=disposition)
        body = self.pages.text("snapshots.csv.j2", series=series, k=k)
        return Response(body, media_type="text/csv; charset=utf-8", headers=disposition)

    async def sign_out(self, request: Request) -> Response:
        session = request.cookies.get(COOKIE)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        if not csrf_ok(session, (form.get("csrf") or [None])[0]):
            log.info("web.sign_out_refused")
            return self.pages.page("refused.html.j2", status=403)

        def end() -> None:
            with self.app.unit() as uow:
                end_dashboard_session(uow, session)

        await run_in_threadpool(end)
        response = self.pages.page("signed_out.html.j2")
        response.delete_cookie(COOKIE, **cookie_options(self.public_url))
        return response

    def stylesheet(self, request: Request) -> Response:
        return FileResponse(STATIC / "dashboard.css", media_type="text/css")

    def not_found(self, request: Request, exc: Exception) -> Response:
        return self.pages.page("not_found.html.j2", status=404)

    def failed(self, request: Request, exc: Exception) -> Response:
        incident = secrets.token_hex(3)
        # Frames only: an exception's message may quote sealed text or SQL parameters.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("web.failed incident=%s error=%s\n%s", incident, type(exc).__name__, frames)
        return self.pages.page("error.html.j2", status=500, incident=incident)


def build_web(app: App, *, limit: RateLimit | None = None) -> Starlette:
    """The dashboard as an ASGI app, reading through `app`."""
    board = Dashboard(app, limit)
    routes = [
        Route("/", board.home),
        Route("/open/{token}", board.open_link),
        Route("/campaign/{name}", board.overview),
        Route("/campaign/{name}/snapshots.{kind}", board.download),
        Route("/sign-out", board.sign_out, methods=["POST"]),
        Route("/static/dashboard.css", board.stylesheet),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                     exception_handlers={404: board.not_found, 405: board.not_found,
                                         Exception: board.failed})
