"""The console serves the dashboard on 127.0.0.1, says where, and links point there."""

from __future__ import annotations

import socket

import httpx
import pytest

from bots.output.rendering import Renderer
from bots.web.server import start_console_dashboard
from tests.e2e.web.conftest import link_in


@pytest.fixture
def taken_port():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    yield holder.getsockname()[1]
    holder.close()


def test_the_console_serves_on_a_free_port_when_its_own_is_taken(settings, taken_port, console,
                                                                  app):
    app.settings = settings.model_copy(update={"http_port": taken_port})
    server = start_console_dashboard(app)
    try:
        assert server.port != taken_port
        assert app.web_url == f"http://127.0.0.1:{server.port}"
        console.run("maya: /campaign create ethics --headcount 40")
        link = link_in(console.run("maya: /campaign dashboard ethics"))
        assert link.startswith(app.web_url + "/open/")
        with httpx.Client(timeout=5) as client:
            assert client.get(link).status_code == 200
    finally:
        server.stop()


def test_the_console_welcome_names_the_dashboards_address():
    text = Renderer("console").render("adapter/welcome.j2", dashboard="http://127.0.0.1:3000")
    assert "The web dashboard is served at http://127.0.0.1:3000" in text
    assert "/campaign dashboard NAME" in text


def test_links_use_the_public_address_when_one_is_set(settings, console, app):
    app.settings = settings.model_copy(update={"public_url": "https://board.example.org"})
    console.run("maya: /campaign create ethics --headcount 40")
    link = link_in(console.run("maya: /campaign dashboard ethics"))
    assert link.startswith("https://board.example.org/open/")


async def test_socket_mode_and_discord_serve_it_beside_the_bot_on_their_event_loop(settings, app):
    from bots.web.server import dashboard_alongside

    app.settings = settings.model_copy(update={"http_port": 0})
    async with dashboard_alongside(app, host="127.0.0.1") as port, \
            httpx.AsyncClient(timeout=5) as client:
        assert port and app.web_url == f"http://127.0.0.1:{port}"
        page = await client.get(f"http://127.0.0.1:{port}/")
    assert page.status_code == 200 and "Ask for a link in chat" in page.text


async def test_a_taken_port_leaves_the_bot_running_without_a_dashboard(settings, app, taken_port,
                                                                      caplog):
    from bots.web.server import dashboard_alongside

    app.settings = settings.model_copy(update={"http_port": taken_port})
    async with dashboard_alongside(app, host="127.0.0.1") as port:
        assert port is None
    assert "web.port_unavailable" in caplog.text
