"""`concerted`: run the bot, open the console workspace, or upgrade the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bots.output.rendering import Renderer
from campaigns.core.errors import KeyFileProblem
from settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="concerted", description="Concerted: act together at work.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start on Slack, Discord or the console, as the settings name")
    console = commands.add_parser("console", help="the console workspace: type or pipe commands")
    console.add_argument("script", nargs="?", type=Path, help="a file of console lines to run")
    database = commands.add_parser("db", help="database maintenance")
    database.add_argument("action", choices=["upgrade"], help="create or upgrade the schema")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "db":
            return _upgrade(settings)
        if args.command == "console" or settings.platform == "console":
            return _console(settings, getattr(args, "script", None))
        if settings.platform == "slack":
            from bots.slack_app.run import run_slack

            return run_slack(settings)
        from bots.discord_bot.run import run_discord

        return run_discord(settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyFileProblem as exc:
        print(Renderer("console").render(exc.template, **exc.params), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _upgrade(settings) -> int:
    from campaigns.core import db
    db.upgrade(db.make_engine(settings.database_url))
    print("The database schema is up to date.")
    return 0


def _console(settings, script: Path | None) -> int:
    from bots.console.workspace import Console, ConsoleNotifier
    from bots.runtime.bootstrap import build
    from campaigns.core.clock import ManualClock

    if "log_level" not in settings.model_fields_set:
        # The console shares the terminal with its replies: only problems are logged there.
        settings = settings.model_copy(update={"log_level": "WARNING"})
    clock, notifier = ManualClock(), ConsoleNotifier()
    app = build(settings, clock=clock, notifier=notifier, realtime=False)
    console = Console(app, clock, notifier)
    try:
        if script is not None:
            with script.open() as lines:
                console.run(lines)
        else:
            if sys.stdin.isatty():
                print(Renderer("console").render("console/welcome.j2"))
            console.run(_prompted(sys.stdin))
    finally:
        app.close()
    return 0


def _prompted(stream):
    interactive = stream.isatty()
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = stream.readline()
        if not line:
            return
        yield line


if __name__ == "__main__":
    sys.exit(main())
