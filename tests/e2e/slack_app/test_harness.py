"""The offline Slack harness, proven against the real slack-bolt AsyncApp and slack_sdk client."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.e2e.slack_app.mock_slack import MockSlack
from tests.e2e.slack_app.payloads import (
    app_home_opened_event,
    block_actions_body,
    sign,
    slack_view,
    slash_command_body,
    text_value,
    view_submission_body,
)

SECRET = "harness-signing-secret"
HELP_TEXT = "Run /campaign create NAME to start a campaign."


def _app(mock: MockSlack, *, process_before_response: bool = False) -> AsyncApp:
    client = AsyncWebClient(token="xoxb-harness", base_url=mock.api_url)
    return AsyncApp(
        signing_secret=SECRET,
        client=client,
        request_verification_enabled=True,
        process_before_response=process_before_response,
    )


def _campaign_app(mock: MockSlack) -> AsyncApp:
    app = _app(mock)

    @app.command("/campaign")
    async def campaign(ack, body, client, respond, command):
        if command["text"] == "help":
            await ack(response_type="ephemeral", text=HELP_TEXT)
        elif command["text"] == "draft":
            await ack()
            view = {
                "type": "modal",
                "callback_id": "petition_draft",
                "title": _plain("Draft a petition"),
                "blocks": [],
            }
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        else:
            await ack()
            await respond(response_type="ephemeral", text="Joined.")

    @app.view("petition_draft")
    async def petition_draft(ack, view):
        title = view["state"]["values"]["title"]["title"]["value"]
        if len(title) < 10:
            await ack(
                response_action="errors", errors={"title": "Give the petition a longer title."}
            )
        else:
            await ack()

    return app


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


async def _post(
    client: httpx.AsyncClient, body: bytes, *, secret: str = SECRET, timestamp: int | None = None
) -> httpx.Response:
    return await client.post("/slack/events", content=body, headers=sign(body, secret, timestamp))


async def test_a_signed_help_command_over_http_is_acked_with_an_ephemeral_answer(
    mock_slack, serve_asgi
):
    handler = AsyncSlackRequestHandler(_campaign_app(mock_slack))
    body = slash_command_body("/campaign", "help", response_url=mock_slack.response_url())
    async with (
        serve_asgi(handler) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=5) as client,
    ):
        response = await _post(client, body)

    assert response.status_code == 200
    assert response.json() == {"response_type": "ephemeral", "text": HELP_TEXT}
    [auth_test] = mock_slack.calls("auth.test")
    assert auth_test.token == "xoxb-harness"


async def test_a_request_with_a_bad_signature_is_refused_before_any_api_call(
    mock_slack, asgi_client
):
    body = slash_command_body("/campaign", "help", response_url=mock_slack.response_url())
    async with asgi_client(AsyncSlackRequestHandler(_campaign_app(mock_slack))) as client:
        response = await _post(client, body, secret="not-the-signing-secret")

    assert response.status_code == 401
    assert mock_slack.calls() == []


async def test_a_request_signed_more_than_five_minutes_ago_is_refused(mock_slack, asgi_client):
    body = slash_command_body("/campaign", "help", response_url=mock_slack.response_url())
    async with asgi_client(AsyncSlackRequestHandler(_campaign_app(mock_slack))) as client:
        response = await _post(client, body, timestamp=int(time.time()) - 5 * 60 - 1)

    assert response.status_code == 401
    assert mock_slack.calls() == []


async def test_a_command_opens_a_modal_with_its_trigger_id(mock_slack, asgi_client):
    body = slash_command_body(
        "/campaign", "draft", response_url=mock_slack.response_url(), trigger_id="1.2.abc"
    )
    async with asgi_client(AsyncSlackRequestHandler(_campaign_app(mock_slack))) as client:
        response = await _post(client, body)

    assert response.status_code == 200
    [views_open] = await mock_slack.wait_for("views.open")
    assert views_open.args["trigger_id"] == "1.2.abc"
    assert views_open.args["view"]["callback_id"] == "petition_draft"


async def test_a_modal_submission_gets_its_field_errors_in_the_http_response(
    mock_slack, asgi_client
):
    body = view_submission_body(
        "petition_draft", state_values={"title": {"title": text_value("Stop")}}
    )
    async with asgi_client(AsyncSlackRequestHandler(_campaign_app(mock_slack))) as client:
        response = await _post(client, body)

    assert response.status_code == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {"title": "Give the petition a longer title."},
    }


async def test_respond_posts_to_the_response_url_on_the_mock(mock_slack, asgi_client):
    body = slash_command_body(
        "/campaign", "join ethics", response_url=mock_slack.response_url("join")
    )
    async with asgi_client(AsyncSlackRequestHandler(_campaign_app(mock_slack))) as client:
        response = await _post(client, body)

    assert response.status_code == 200
    [reply] = await mock_slack.wait_for("response_url:join")
    assert reply.args == {"text": "Joined.", "response_type": "ephemeral"}


async def test_users_list_pages_through_the_whole_roster(mock_slack):
    client = AsyncWebClient(token="xoxb-harness", base_url=mock_slack.api_url)

    ids = [
        user["id"] async for page in await client.users_list(limit=3) for user in page["members"]
    ]

    assert ids == [user["id"] for user in mock_slack.users]
    assert "USLACKBOT" in ids
    assert len(mock_slack.calls("users.list")) == 3


async def test_a_file_upload_reaches_the_mock_in_three_steps(mock_slack):
    client = AsyncWebClient(token="xoxb-harness", base_url=mock_slack.api_url)

    result = await client.files_upload_v2(
        content=b"%PDF-1.4 letter", filename="letter.pdf", channel="D0ALICE"
    )

    [upload] = mock_slack.calls("upload")
    assert upload.body == b"%PDF-1.4 letter"
    assert result["file"]["id"] == upload.args["file_id"]
    assert mock_slack.calls("files.completeUploadExternal")[0].args["channel_id"] == "D0ALICE"


async def test_an_unknown_or_failing_method_raises_a_slack_api_error(mock_slack):
    client = AsyncWebClient(token="xoxb-harness", base_url=mock_slack.api_url)
    mock_slack.fail("chat.postMessage", "channel_not_found")

    with pytest.raises(SlackApiError, match="unknown_method"):
        await client.api_call("campaigns.nothing")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        await client.chat_postMessage(channel="C0NONE", text="hello")
    assert [call.method for call in mock_slack.calls()] == ["campaigns.nothing", "chat.postMessage"]


async def test_opening_app_home_publishes_a_home_view_and_its_buttons_update_it(
    mock_slack, asgi_client
):
    app = _app(mock_slack)

    @app.event("app_home_opened")
    async def home(event, client):
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    @app.action("refresh")
    async def refresh(ack, body, client):
        await ack()
        await client.views_update(view_id=body["view"]["id"], view={"type": "home", "blocks": []})

    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        opened = await _post(client, app_home_opened_event("U0ALICE"))
        [publish] = await mock_slack.wait_for("views.publish")
        clicked = await _post(
            client, block_actions_body("refresh", view=slack_view("V0HOME", kind="home"))
        )
        [update] = await mock_slack.wait_for("views.update")

    assert (opened.status_code, clicked.status_code) == (200, 200)
    assert publish.args["user_id"] == "U0ALICE"
    assert update.args["view_id"] == "V0HOME"


async def test_a_listener_can_see_that_slack_is_retrying(mock_slack, asgi_client):
    app = _app(mock_slack)
    seen: list[str] = []

    @app.event("app_home_opened")
    async def home(request):
        seen.append(request.headers.get("x-slack-retry-num", ["0"])[0])

    body = app_home_opened_event("U0ALICE")
    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        response = await client.post(
            "/slack/events", content=body, headers=sign(body, SECRET, retry_num=2)
        )
        await asyncio.sleep(0.05)

    assert response.status_code == 200
    assert seen == ["2"]


async def test_with_process_before_response_the_ack_goes_out_before_a_lazy_listener_finishes(
    mock_slack, asgi_client
):
    app = _app(mock_slack, process_before_response=True)
    release = asyncio.Event()

    async def acknowledge(ack):
        await ack(text="Counting…")

    async def count(client, command):
        await release.wait()
        await client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text="Done."
        )

    app.command("/threshold")(ack=acknowledge, lazy=[count])
    body = slash_command_body("/threshold", "ethics", response_url=mock_slack.response_url())
    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        response = await asyncio.wait_for(_post(client, body), timeout=2)
        assert mock_slack.calls("chat.postEphemeral") == []
        release.set()
        await mock_slack.wait_for("chat.postEphemeral")

    assert response.text == "Counting…"


async def test_with_process_before_response_the_ack_waits_for_the_whole_listener(
    mock_slack, asgi_client
):
    app = _app(mock_slack, process_before_response=True)
    release = asyncio.Event()

    @app.command("/threshold")
    async def threshold(ack):
        await ack(text="Counted.")
        await release.wait()

    body = slash_command_body("/threshold", "ethics", response_url=mock_slack.response_url())
    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        pending = asyncio.ensure_future(_post(client, body))
        await asyncio.sleep(0.2)
        assert not pending.done()
        release.set()
        response = await asyncio.wait_for(pending, timeout=2)

    assert response.text == "Counted."


async def test_without_process_before_response_the_ack_goes_out_while_the_listener_works(
    mock_slack, asgi_client
):
    app = _app(mock_slack)
    release = asyncio.Event()

    @app.command("/threshold")
    async def threshold(ack, respond):
        await ack(text="Counting…")
        await release.wait()
        await respond(text="Done.")

    body = slash_command_body("/threshold", "ethics", response_url=mock_slack.response_url())
    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        response = await asyncio.wait_for(_post(client, body), timeout=2)
        release.set()
        await mock_slack.wait_for("response_url:default")

    assert response.text == "Counting…"


async def test_bolt_logs_a_refused_request_body_at_info(mock_slack, asgi_client, caplog):
    # Before the app exists: bolt copies the root level into its loggers when it builds them.
    caplog.set_level(logging.INFO)
    body = slash_command_body(
        "/grievance", "the rota leaves no rest", response_url=mock_slack.response_url()
    )
    async with asgi_client(AsyncSlackRequestHandler(_app(mock_slack))) as client:
        await _post(client, body, secret="not-the-signing-secret")

    [record] = [r for r in caplog.records if r.name == "slack_bolt.RequestVerification"]
    assert record.levelno == logging.INFO
    assert "the+rota+leaves+no+rest" in record.getMessage()


async def test_bolt_ignores_a_slash_command_whose_form_body_contains_the_word_payload(
    mock_slack, asgi_client
):
    app = _campaign_app(mock_slack)
    body = slash_command_body(
        "/campaign", "join payload-team", response_url=mock_slack.response_url()
    )
    async with asgi_client(AsyncSlackRequestHandler(app)) as client:
        response = await _post(client, body)

    assert response.status_code == 404
    assert mock_slack.calls("response_url:default") == []
