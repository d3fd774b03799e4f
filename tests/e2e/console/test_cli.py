"""The `concerted` command as a newcomer meets it: start, refuse clearly, never lose data."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = "maya: /campaign create stop-nudify --headcount 1000\nmaya: /campaign list\n"


def concerted(cwd: Path, *args: str, stdin: str = "", env: dict | None = None):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("CONCERTED_", "SLACK_", "DISCORD_"))}
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "bots.runtime.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=60, env=clean)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_without_tokens_opens_the_console_on_sqlite_and_creates_a_private_key(tmp_path):
    result = concerted(tmp_path, "run", stdin=SCRIPT)
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
    assert "[maya · only you]" in spanish.stdout

    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    refused = concerted(elsewhere, "console", "--locale", "tlh", stdin=SCRIPT)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "There is no catalog for the language tlh: start again with --locale set to one of "
        "de, en, es, pt_BR."]
    assert list(elsewhere.iterdir()) == []
