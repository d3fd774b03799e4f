"""`concerted`: run the bot, open the console workspace, check the set-up, maintain the database.

Every refusal is one sentence on standard error and exit code 2; a refused
start creates nothing (see `bots/runtime/preflight.py`).
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bots.output.i18n import LOCALE_DIR, Languages, Locality
from bots.output.rendering import operator_renderer
from bots.runtime import preflight
from bots.runtime.preflight import StartProblem
from campaigns.core.errors import KeyFileProblem
from settings import Settings, SettingsError, load_settings


def _version() -> str:
    try:
        return version("concerted")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _text(template: str, **params: object) -> str:
    return operator_renderer().render(template, **params)


def languages_from(settings: Settings) -> Languages:
    # As bootstrap builds them, without importing the whole app for a refusal.
    return Languages(settings.locale_dir or LOCALE_DIR)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="concerted", description=_text("operator/about.j2"))
    parser.add_argument("--version", action="version", version=f"concerted {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="start on Slack, Discord or the console, as the settings say",
                              description=_text("operator/run_help.j2"),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--locale", help="the console's language for everyone, such as es or de")
    console = commands.add_parser("console", help="the console workspace: type or pipe commands")
    console.add_argument("script", nargs="?", type=Path, help="a file of console lines to run")
    console.add_argument("--locale", help="the language everyone reads, such as es, pt_BR or de")
    commands.add_parser("check", help="check the settings, database, key file and output folder, "
                                      "and say what `run` would start, without starting it")
    database = commands.add_parser("db", help="database maintenance")
    actions = database.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="create the schema, or upgrade it to the newest version")
    actions.add_parser("current", help="show the schema version the database is at")
    actions.add_parser("history", help="list the schema versions, newest first")
    key = commands.add_parser("key", help="master key maintenance")
    key_actions = key.add_subparsers(dest="action", metavar="ACTION", required=True)
    key_actions.add_parser("rotate", help="wrap every campaign key under a new master key, "
                                          "atomically (stop Concerted first)",
                           description=_text("operator/key_rotate_help.j2"),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings()
        if args.command == "db":
            return _database(settings, args.action)
        if args.command == "key":
            return _rotate(settings)
        if args.command == "check":
            return _check(settings)
        script = getattr(args, "script", None)
        console = args.command == "console" or settings.platform == "console"
        locale = getattr(args, "locale", None)
        if console and locale and languages_from(settings).choose(locale) is None:
            # Refused before anything is created, like every other refused start.
            print(_text("adapter/locale_flag_unknown.j2", asked=locale,
                        shipped=languages_from(settings).shipped), file=sys.stderr)
            return 2
        _preflight(settings, script, chat=not console)
        if console:
            return _console(settings, script, locale)
        if settings.platform == "slack":
            from bots.slack_app.run import run_slack

            return run_slack(settings)
        from bots.discord_bot.run import run_discord

        return run_discord(settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (KeyFileProblem, StartProblem) as exc:
        print(_text(exc.template, **exc.params), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _preflight(settings: Settings, script: Path | None = None, *,
               chat: bool = True) -> preflight.DatabaseState:
    """Everything that can refuse a start, checked before anything is created."""
    preflight.mode_settings(settings)
    preflight.console_script(script)
    preflight.output_dir(settings.output_dir)
    state = preflight.database(settings.database_url)
    preflight.key_file(settings.key_file, state)
    if chat and settings.platform == "slack":
        from bots.slack_app.run import check_slack

        check_slack(settings)
    elif chat and settings.platform == "discord":
        from bots.discord_bot.run import check_discord

        check_discord(settings)
    return state


def _check(settings: Settings) -> int:
    state = _preflight(settings)
    from campaigns.core import db

    print(_text("operator/check.j2", settings=settings, mode=settings.platform,
                state=state, head=db.head_revision(),
                key_exists=settings.key_file.exists(),
                output_exists=settings.output_dir.exists()))
    return 0


def _database(settings: Settings, action: str) -> int:
    from campaigns.core import db

    if action == "history":
        print(_text("operator/db_history.j2", revisions=db.revisions()))
        return 0
    state = preflight.database(settings.database_url)
    if action == "current":
        print(_text("operator/db_current.j2", state=state, head=db.head_revision()))
        return 0
    db.upgrade(db.make_engine(settings.database_url))
    print(_text("operator/db_upgraded.j2", head=db.head_revision()))
    return 0


def _rotate(settings: Settings) -> int:
    from bots.runtime.rotation import rotate_master_key

    rotated = rotate_master_key(settings)
    print(_text("operator/key_rotated.j2", rotated=rotated))
    return 0


def _console(settings: Settings, script: Path | None, locale: str | None = None) -> int:
    from bots.console.workspace import Console, ConsoleNotifier
    from bots.runtime.bootstrap import build
    from campaigns.core.clock import ManualClock

    chosen = languages_from(settings).choose(locale) if locale else None

    if "log_level" not in settings.model_fields_set:
        # The console shares the terminal with its replies: only problems are logged there.
        settings = settings.model_copy(update={"log_level": "WARNING"})
    from bots.web.server import start_console_dashboard

    clock, notifier = ManualClock(), ConsoleNotifier()
    app = build(settings, clock=clock, notifier=notifier, realtime=False)
    dashboard = start_console_dashboard(app)
    console = Console(app, clock, notifier, locale=chosen)
    try:
        if script is not None:
            with script.open() as lines:
                console.run(lines)
        else:
            if sys.stdin.isatty():
                print(console.renderer.render("adapter/welcome.j2", Locality(chosen),
                                              dashboard=app.web_url))
            console.run(_prompted(sys.stdin))
    finally:
        dashboard.stop()
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
