"""The operator's `concerted`: help, version, `check`, `db`, and refusals that create nothing."""

from __future__ import annotations

import pytest

from tests.e2e.console.test_cli import SCRIPT, concerted

CLOSED = "127.0.0.1:1"  # nothing listens on port 1: as unreachable as a network that is away


def one_sentence_and_nothing_created(result, where) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert sorted(p.name for p in where.iterdir()) == []
    return lines[0]


def test_bare_concerted_prints_its_help_and_succeeds(tmp_path):
    result = concerted(tmp_path)
    assert result.returncode == 0
    for command in ("run", "console", "check", "db", "key"):
        assert command in result.stdout


def test_version_names_the_release(tmp_path):
    result = concerted(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.startswith("concerted ")


def test_run_help_lists_each_mode_with_the_settings_it_needs(tmp_path):
    text = concerted(tmp_path, "run", "--help").stdout
    for setting in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN", "console"):
        assert setting in text


def test_check_on_a_fresh_folder_says_what_would_start_and_creates_nothing(tmp_path):
    result = concerted(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "console workspace" in result.stdout
    assert "does not exist yet" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_check_after_a_first_run_confirms_the_key_matches_the_database(tmp_path):
    assert concerted(tmp_path, "run", stdin=SCRIPT).returncode == 0
    result = concerted(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "the key this database was sealed with" in result.stdout
    assert "the newest" in result.stdout


def test_an_unreachable_database_is_one_sentence_naming_the_setting_and_host(tmp_path):
    env = {"CONCERTED_DATABASE_URL": f"postgresql://nobody@{CLOSED}/db"}
    for command in ("check", "run"):
        line = one_sentence_and_nothing_created(concerted(tmp_path, command, env=env), tmp_path)
        assert "CONCERTED_DATABASE_URL" in line and CLOSED in line


@pytest.mark.parametrize("command", ["check", "run"])
def test_an_unwritable_output_folder_is_refused_before_anything_is_made(tmp_path, command):
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    env = {"CONCERTED_OUTPUT_DIR": str(tmp_path / "a-file" / "out")}
    line = one_sentence_and_nothing_created(concerted(work, command, env=env), work)
    assert "CONCERTED_OUTPUT_DIR" in line


def test_an_unreachable_discord_is_one_sentence_and_nothing_is_created(tmp_path):
    env = {"DISCORD_TOKEN": "abc", "DISCORD_API_URL": f"http://{CLOSED}/api/v10"}
    for command in ("check", "run"):
        line = one_sentence_and_nothing_created(concerted(tmp_path, command, env=env), tmp_path)
        assert "Discord cannot be reached" in line and "DISCORD_API_URL" in line


def test_an_unreachable_slack_is_one_sentence_and_nothing_is_created(tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
           "SLACK_API_URL": f"http://{CLOSED}/api/"}
    line = one_sentence_and_nothing_created(concerted(tmp_path, "run", env=env), tmp_path)
    assert "Slack cannot be reached" in line and "SLACK_API_URL" in line


def test_a_slack_bot_token_alone_says_which_settings_are_missing(tmp_path):
    line = one_sentence_and_nothing_created(
        concerted(tmp_path, "run", env={"SLACK_BOT_TOKEN": "xoxb-1"}), tmp_path)
    assert "SLACK_APP_TOKEN" in line and "SLACK_SIGNING_SECRET" in line


@pytest.mark.parametrize("make, says", [
    (lambda where: "nope.txt", "does not exist"),
    (lambda where: (where / "scripts").mkdir() or "scripts", "is a folder"),
])
def test_a_console_script_that_is_not_a_readable_file_is_refused_first(tmp_path, make, says):
    name = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = concerted(tmp_path, "console", name)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_db_current_and_history_describe_the_schema_without_creating_it(tmp_path):
    current = concerted(tmp_path, "db", "current")
    assert current.returncode == 0 and "no database yet" in current.stdout
    history = concerted(tmp_path, "db", "history")
    assert history.returncode == 0 and history.stdout.splitlines()[-1].startswith("0001")
    assert list(tmp_path.iterdir()) == []
    assert concerted(tmp_path, "db", "upgrade").returncode == 0
    assert "the newest" in concerted(tmp_path, "db", "current").stdout


def test_advancing_the_console_clock_beyond_ten_years_is_refused_in_one_sentence(tmp_path):
    script = "maya: /campaign create ethics --headcount 40\n:advance 3000000d\n:advance 99999w\n:now\n"
    result = concerted(tmp_path, "console", stdin=script)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.count("at most ten years at a time") == 2


def test_db_and_key_say_what_their_actions_do(tmp_path):
    database = concerted(tmp_path, "db", "--help").stdout
    for action in ("upgrade", "current", "history"):
        assert action in database
    rotate = concerted(tmp_path, "key", "rotate", "--help").stdout
    assert "Stop Concerted first" in rotate and "one database transaction" in rotate
    assert list(tmp_path.iterdir()) == []


def test_key_rotate_replaces_the_key_and_the_campaigns_read_as_before(tmp_path):
    assert concerted(tmp_path, "run", stdin=SCRIPT).returncode == 0
    old = (tmp_path / "concerted.key").read_bytes()

    rotated = concerted(tmp_path, "key", "rotate")

    assert rotated.returncode == 0, rotated.stderr
    assert "1 campaign key is wrapped under it" in rotated.stdout
    assert (tmp_path / "concerted.key").read_bytes() != old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("concerted.key")) == [
        "concerted.key"]
    shown = concerted(tmp_path, "run", stdin="maya: /campaign info stop-nudify\n")
    assert "stop-nudify — stop-nudify" in shown.stdout and "Headcount: 1,000" in shown.stdout


def test_key_rotate_before_a_first_start_is_one_sentence_and_creates_nothing(tmp_path):
    line = one_sentence_and_nothing_created(concerted(tmp_path, "key", "rotate"), tmp_path)
    assert "There is no key to rotate" in line
