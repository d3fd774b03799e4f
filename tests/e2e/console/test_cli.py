"""The `concerted` command as a newcomer meets it: start, refuse clearly, never lose data."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bots.runtime.cli import main
from bots.runtime.logs import THIRD_PARTY

SCRIPT = "maya: /campaign create stop-nudify --headcount 1000\nmaya: /campaign list\n"
OURS = ("CONCERTED_", "SLACK_", "DISCORD_")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def concerted_process(cwd: Path, *args: str, stdin: str = "", env: dict | None = None):
    """`python -m bots.runtime.cli ARGS` as its own process, as an operator starts it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "bots.runtime.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=60, env=clean)


def concerted(cwd: Path, *args: str, stdin: str = "", env: dict | None = None) -> Result:
    """`concerted ARGS` in `cwd` with only `env` of our settings, run by the same `main` in
    this process: starting Python and its imports cost more than most of these tests. What
    the process would change (environment, working folder, standard streams, logging) is put
    back afterwards; an exception that escaped `main` (a traceback) fails the test."""
    saved_env = dict(os.environ)
    root = logging.getLogger()
    saved_logging = (list(root.handlers), root.level,
                     {name: logging.getLogger(name).level for name in THIRD_PARTY})
    saved_stdin = sys.stdin
    out, err = io.StringIO(), io.StringIO()
    for key in [k for k in os.environ if k.startswith(OURS)]:
        del os.environ[key]
    os.environ.update(env or {})
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, --version, a usage error
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    finally:
        sys.stdin = saved_stdin
        os.environ.clear()
        os.environ.update(saved_env)
        handlers, level, levels = saved_logging
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(level)
        for name, named_level in levels.items():
            logging.getLogger(name).setLevel(named_level)
    return Result(code, out.getvalue(), err.getvalue())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_without_tokens_opens_the_console_on_sqlite_and_creates_a_private_key(tmp_path):
    # The real process once: how an operator starts it, from the first import to the exit code.
    result = concerted_process(tmp_path, "run", stdin=SCRIPT)
    assert result.returncode == 0, result.stderr
    assert "[maya · only you]" in result.stdout
    assert "Campaign stop-nudify is open" in result.stdout
    assert stat.S_IMODE((tmp_path / "concerted.key").stat().st_mode) == 0o600
    for stored in tmp_path.glob("concerted.db*"):
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600, f"{stored.name} is readable by others"


def test_a_console_script_file_runs_line_by_line(tmp_path):
    (tmp_path / "tour.txt").write_text(SCRIPT + ":advance 2h\n")
    result = concerted(tmp_path, "console", "tour.txt")
    assert result.returncode == 0, result.stderr
    assert "1 scheduled job ran" in result.stdout


def test_a_bad_setting_stops_start_up_with_one_sentence_naming_it(tmp_path):
    result = concerted(tmp_path, "run", env={"CONCERTED_SNAPSHOT_EVERY": "hourly"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "CONCERTED_SNAPSHOT_EVERY" in lines[0] and "30m" in lines[0]
    assert not (tmp_path / "concerted.db").exists()


@pytest.fixture
def used_workspace(tmp_path) -> Path:
    assert concerted(tmp_path, "run", stdin=SCRIPT).returncode == 0
    return tmp_path


def test_a_missing_key_file_is_refused_clearly_and_leaves_the_data_intact(used_workspace):
    (used_workspace / "concerted.key").rename(used_workspace / "elsewhere.key")
    before = digest(used_workspace / "concerted.db")
    result = concerted(used_workspace, "run", stdin=SCRIPT)
    assert result.returncode == 2
    assert "key file" in result.stderr and "missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (used_workspace / "concerted.key").exists(), "no new key may be minted"
    assert digest(used_workspace / "concerted.db") == before


def test_a_wrong_key_file_is_refused_clearly_and_leaves_the_data_intact(used_workspace, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    assert concerted(other, "run", stdin="").returncode == 0
    (used_workspace / "concerted.key").write_bytes((other / "concerted.key").read_bytes())
    before = digest(used_workspace / "concerted.db")
    result = concerted(used_workspace, "run", stdin=SCRIPT)
    assert result.returncode == 2
    assert "not the key this database was sealed with" in result.stderr
    assert digest(used_workspace / "concerted.db") == before
    (used_workspace / "concerted.key").write_text("not a key at all")
    result = concerted(used_workspace, "run", stdin=SCRIPT)
    assert result.returncode == 2 and "cannot be read" in result.stderr
    assert digest(used_workspace / "concerted.db") == before


def test_db_upgrade_creates_the_schema_without_starting_anything(tmp_path):
    result = concerted(tmp_path, "db", "upgrade")
    assert result.returncode == 0 and "up to date" in result.stdout


def test_the_console_in_spanish_and_an_unknown_language_refused_before_anything_is_made(tmp_path):
    spanish = concerted(tmp_path, "console", "--locale", "es", stdin=SCRIPT)
    assert spanish.returncode == 0, spanish.stderr
    assert "[maya · solo tú]" in spanish.stdout

    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    refused = concerted(elsewhere, "console", "--locale", "tlh", stdin=SCRIPT)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "There is no catalog for the language tlh: start again with --locale set to one of "
        "de, en, es, pt_BR."]
    assert list(elsewhere.iterdir()) == []


def test_the_terminal_speaks_concerted_locale_and_english_when_the_settings_are_refused(tmp_path):
    german = concerted(tmp_path, "db", "upgrade", env={"CONCERTED_LOCALE": "de"})
    assert german.returncode == 0, german.stderr
    assert german.stdout.startswith("Das Datenbankschema ist aktuell (Version ")
    checked = concerted(tmp_path, "check", env={"CONCERTED_LOCALE": "pt_BR"})
    assert checked.returncode == 0, checked.stderr
    assert "Banco de dados: arquivo SQLite" in checked.stdout
    assert "a mais recente." in checked.stdout
    assert "Nada foi iniciado nem criado." in checked.stdout
    helped = concerted(tmp_path, "run", "--help", env={"CONCERTED_LOCALE": "es"})
    assert "Arranca Concerted en la plataforma" in helped.stdout
    # A setting Concerted cannot use: the help still reads, in English.
    refused = concerted(tmp_path, "--help", env={"CONCERTED_LOCALE": "de",
                                                 "CONCERTED_SNAPSHOT_EVERY": "hourly"})
    assert refused.returncode == 0 and "a chat bot that helps people act together" in refused.stdout
