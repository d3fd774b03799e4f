"""Fixtures for the reliability tests: a database on each backend, and the Slack and Discord
harnesses of tests/e2e shared here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from campaigns.core import db
from tests.conftest import requires_postgres
from tests.e2e.discord_bot.conftest import bot, discord_app, fake_discord  # noqa: F401 - shared
from tests.e2e.slack_app.conftest import (  # noqa: F401 - the Slack harness, shared
    asgi_client,
    mock_slack,
    serve_asgi,
    slack_settings,
    workspace,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires_postgres())])
def backend_url(request, databases, tmp_path) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, and PostgreSQL too when one is configured."""
    if request.param == "postgresql":
        url = databases.fresh(tmp_path)
        yield url
        databases.drop(url)
        return
    url = f"sqlite:///{tmp_path / 'concerted.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    yield url
