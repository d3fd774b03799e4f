"""CONCERTED_HTTP_WORKERS: one process by default; several only where they can share the data."""

import pytest

from settings import SettingsError, load_settings


def test_one_http_worker_is_the_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_settings().http_workers == 1


def test_two_workers_on_postgresql_are_accepted(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("CONCERTED_HTTP_WORKERS", "2")
    assert load_settings().http_workers == 2


def test_two_workers_on_sqlite_are_refused_naming_the_setting_and_the_way_out(monkeypatch,
                                                                                tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_HTTP_WORKERS", "2")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert "CONCERTED_HTTP_WORKERS" in message and "PostgreSQL" in message
    assert "\n" not in message


@pytest.mark.parametrize("value", ["0", "two", "65"])
def test_a_worker_count_that_is_not_1_to_64_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCERTED_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("CONCERTED_HTTP_WORKERS", value)
    with pytest.raises(SettingsError, match="CONCERTED_HTTP_WORKERS"):
        load_settings()
