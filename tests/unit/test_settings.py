"""Settings come from the environment; a bad value stops start-up with one clear sentence."""

from datetime import timedelta

import pytest

from settings import SettingsError, load_settings, parse_duration


@pytest.mark.parametrize(("text", "expected"), [("90s", timedelta(seconds=90)), ("30m", timedelta(minutes=30)),
                                                ("48h", timedelta(hours=48)), ("30d", timedelta(days=30))])
def test_durations_are_written_with_a_unit(text, expected):
    assert parse_duration(text) == expected


def test_defaults_match_the_design(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.database_url == "sqlite:///concerted.db"
    assert settings.snapshot_every == timedelta(hours=1)
    assert settings.cooling_off == timedelta(hours=48)
    assert settings.retention == timedelta(days=30)
    assert settings.min_count == 5
    assert settings.platform == "console"


def test_an_invalid_duration_names_the_setting_and_what_it_accepts(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_COOLING_OFF", "two days")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert "CONCERTED_COOLING_OFF" in message and "48h" in message
    assert message.count(".") >= 1 and "\n" not in message


def test_a_postgres_url_is_routed_to_psycopg(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert load_settings().database_url.startswith("postgresql+psycopg://")


def test_tokens_decide_which_workspace_runs(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert load_settings().platform == "slack"
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("DISCORD_TOKEN", "d")
    assert load_settings().platform == "discord"


def test_dashboard_links_default_to_this_machine_on_the_http_port(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_HTTP_PORT", "8080")
    settings = load_settings()
    assert settings.public_url is None
    assert settings.dashboard_url() == "http://127.0.0.1:8080"
    assert settings.dashboard_url(4321) == "http://127.0.0.1:4321"


def test_a_public_url_is_the_base_of_links_without_a_trailing_slash(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_PUBLIC_URL", "https://board.example.org/concerted/")
    assert load_settings().dashboard_url(4321) == "https://board.example.org/concerted"


def test_a_public_url_that_is_not_an_address_names_the_setting(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_PUBLIC_URL", "board.example.org")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "CONCERTED_PUBLIC_URL" in str(refused.value)


def test_the_digest_goes_out_at_nine_utc_over_thirty_minutes_by_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.digest_at.strftime("%H:%M") == "09:00" and settings.timezone == "UTC"
    assert settings.digest_window == timedelta(minutes=30)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("CONCERTED_DIGEST_AT", "9am", "HH:MM"), ("CONCERTED_DIGEST_AT", "24:00", "HH:MM"),
    ("CONCERTED_TIMEZONE", "Mars/Olympus", "IANA time zone"),
])
def test_a_bad_digest_time_or_zone_is_refused_in_one_sentence(monkeypatch, tmp_path, name, value,
                                                              says):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert name in message and says in message and "\n" not in message
    assert message.endswith(".") and message.count(". ") == 0


def test_the_backlog_takes_two_hundred_commands_and_refuses_a_limit_of_none(
        monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_settings().backlog == 200
    monkeypatch.setenv("CONCERTED_BACKLOG", "0")
    with pytest.raises(SettingsError, match="CONCERTED_BACKLOG"):
        load_settings()
