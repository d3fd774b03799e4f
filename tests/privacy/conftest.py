"""The Slack HTTP app against the mock Slack Web API, as in tests/e2e/slack_app."""

from tests.e2e.slack_app.conftest import (  # noqa: F401 - fixtures, found by name
    asgi_client,
    mock_slack,
    slack_settings,
    workspace,
)
