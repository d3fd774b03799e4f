"""The Slack fixtures (Web API mock, the app over ASGI), for attacks sent over Slack's HTTP."""

from tests.e2e.slack_app.conftest import (  # noqa: F401 (fixtures)
    asgi_client,
    mock_slack,
    serve_asgi,
    slack_settings,
    workspace,
)
