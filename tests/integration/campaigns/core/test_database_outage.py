"""The database away for a moment: a readable "try again", no crash, recovery by itself."""

from __future__ import annotations

import io

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError

from bots.commands.dispatch import Dispatcher
from bots.commands.parser import Registry, Spec
from bots.console.workspace import Console, ConsoleNotifier
from bots.runtime.bootstrap import build
from campaigns.core.privacy import Person
from settings import Settings
from tests.conftest import postgres_url, requires_postgres
from tests.faults import CuttableProxy


@requires_postgres()
def test_a_dropped_postgres_connection_gets_try_again_and_the_bot_recovers(databases, tmp_path, clock):
    url = make_url(databases.fresh(tmp_path))
    real = make_url(postgres_url())
    with CuttableProxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        settings = Settings(CONCERTED_DATABASE_URL=proxied, CONCERTED_KEY_FILE=tmp_path / "k",
                            CONCERTED_OUTPUT_DIR=tmp_path / "out")
        notifier = ConsoleNotifier()
        app = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
        out = io.StringIO()
        console = Console(app, clock, notifier, out=out)
        try:
            console.feed("alice: /campaign create ethics")
            proxy.cut()
            console.feed("bob: /campaign join ethics")
            during = out.getvalue()
            proxy.restore()
            console.feed("bob: /campaign join ethics")
            after = out.getvalue()[len(during):]
        finally:
            app.close()
    assert "Campaign ethics is open" in during
    assert "could not be reached just now" in during and "nothing was changed" in during
    assert "Traceback" not in during
    assert "You joined ethics" in after
    databases.drop(str(url))



def test_a_database_error_that_is_not_an_outage_is_an_incident_not_try_again(app):
    def broken(call):
        raise DataError("INSERT ...", {}, Exception("value out of range"))

    dispatcher = Dispatcher(Registry([Spec(("boom",), (), (), broken)]), app.unit,
                            platform="console", output_dir=app.settings.output_dir)
    [reply] = dispatcher.run(Person("console", "console", "alice"), "/boom")
    assert reply.template == "errors/unexpected.j2" and reply.data["incident"]
