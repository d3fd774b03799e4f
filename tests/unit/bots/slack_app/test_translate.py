"""Translating Slack's wire formats: command text, bodies bolt misreads, blocks, forms."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import pytest

from bots.commands.dispatch import Dispatcher
from bots.commands.forms import Form, FormField
from bots.commands.registry import registry
from bots.slack_app.adapter import Once
from bots.slack_app.translate import (
    SECTION_MAX,
    header,
    retry_number,
    to_blocks,
    to_bolt_request,
    to_messages,
    to_text,
)
from bots.slack_app.views import Opening, form_to_open, modal, read_submission

FORM = {"content-type": "application/x-www-form-urlencoded"}


def _read(line: str):
    """The command as the Slack listener reads it, once: an Invocation or the reply to it."""
    return Dispatcher(registry(), units=None, platform="slack", output_dir=".").read(line)


def test_command_text_is_decoded_and_mentions_lose_their_display_names():
    text = to_text("/campaign", "invite ethics <@U0BOB|bob> &lt;b&gt; &amp; &lt;@U0EVE|eve&gt;")

    assert text == "/campaign invite ethics <@U0BOB> <b> & <@U0EVE>"


def test_a_slash_command_mentioning_payload_is_read_as_a_slash_command():
    body = urlencode({"team_id": "T1", "user_id": "U1", "command": "/grievance",
                      "text": "ethics --text 'the payload team'", "response_url": "https://x"})

    request = to_bolt_request(body, "", FORM)

    assert request.body["command"] == "/grievance"
    assert request.context["user_id"] == "U1" and request.context["team_id"] == "T1"
    assert request.context["response_url"] == "https://x"


def test_an_interactive_payload_is_still_read_as_one():
    payload = {"type": "view_submission", "user": {"id": "U1", "team_id": "T1"},
               "team": {"id": "T1"}, "view": {"id": "V1"}}
    request = to_bolt_request(urlencode({"payload": json.dumps(payload)}), "", FORM)

    assert request.body["type"] == "view_submission"


def test_long_text_is_split_into_sections_slack_accepts_without_cutting_an_escape():
    text = "\n\n".join(["&lt;" * 400] * 4)

    blocks = to_blocks(text)

    assert len(blocks) > 1
    for block in blocks:
        chunk = block["text"]["text"]
        assert len(chunk) <= SECTION_MAX
        assert chunk.count("&lt;") * 4 == len(chunk.replace("\n", ""))


@pytest.mark.parametrize("line, form, campaign", [
    ("/campaign create", "campaign", None),
    ("/campaign create ethics", "campaign", "ethics"),
    ("/grievance ethics", "grievance", "ethics"),
    ("/petition draft ethics", "petition", "ethics"),
])
def test_a_form_command_without_options_opens_its_form(line, form, campaign):
    opening = form_to_open(_read(line))

    assert (opening.form.name, opening.campaign) == (form, campaign)


@pytest.mark.parametrize("line", [
    "/grievance", "/grievance ethics --text 'x' --vent", "/campaign create help",
    "/campaign join ethics", "/nonsense", "/campaign list",
])
def test_other_commands_open_no_form(line):
    assert form_to_open(_read(line)) is None


def test_a_modal_carries_only_the_form_campaign_and_channel():
    opening = form_to_open(_read("/grievance ethics"))
    view = modal(Opening(opening.form, "ethics", "C1"))

    assert json.loads(view["private_metadata"]) == {
        "form": "grievance", "campaign": "ethics", "channel": "C1"}
    assert len(view["title"]["text"]) <= 24


def test_a_submitted_view_is_read_back_by_field():
    view = {"private_metadata": json.dumps({"form": "grievance", "campaign": "ethics"}),
            "state": {"values": {
                "text": {"text": {"type": "plain_text_input", "value": "No rest"}},
                "tag": {"tag": {"type": "radio_buttons", "selected_option": {"value": "vent"}}},
            }}}

    submission = read_submission(view)

    assert (submission.values["text"], submission.values["tag"]) == ("No rest", "vent")
    assert submission.campaign == "ethics"


def test_a_view_that_is_not_ours_is_ignored():
    assert read_submission({"private_metadata": "not json"}) is None


async def test_a_repeated_delivery_gets_the_first_answer_without_running_again():
    once, runs = Once(), []

    async def work():
        runs.append(1)
        await asyncio.sleep(0.01)
        return {"response_action": "update"}

    first, second = await asyncio.gather(once.run("k", work), once.run("k", work))

    assert first == second and runs == [1]


async def test_a_refused_delivery_is_not_remembered():
    once, runs = Once(), []

    async def work():
        runs.append(1)
        return {"response_action": "errors", "errors": {"text": "Too long."}}

    for _ in range(2):
        await once.run("k", work, keep=lambda answer: "errors" not in answer)

    assert runs == [1, 1]


def test_several_answers_are_packed_into_as_few_messages_as_slack_accepts():
    parts = [(f"Report {i}\n\n" + "\n\n".join(["x" * 2900] * 9), []) for i in range(12)]

    messages = to_messages(parts)

    assert len(messages) < len(parts)
    assert all(len(m["blocks"]) <= 50 for m in messages)
    shown = [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert [t.split("\n")[0] for t in shown if t.startswith("Report")] == [
        f"Report {i}" for i in range(12)]


def test_a_single_optional_choice_is_a_checkbox_and_a_choice_of_two_is_radio_buttons():
    form = Form("f", "A form", ("campaign", "create"), (
        FormField("tag", "Vent or solve?", choice={"vent": "Vent", "solve": "Solve"}),
        FormField("send", "If warned", choice={"send-anyway": "Send anyway"}, required=False),
    ))

    view = modal(Opening(form, values={"tag": "solve", "send": "send-anyway"}))

    tag, send = (block["element"] for block in view["blocks"])
    assert tag["type"] == "radio_buttons" and tag["initial_option"]["value"] == "solve"
    assert send["type"] == "checkboxes"
    assert [o["value"] for o in send["initial_options"]] == ["send-anyway"]


@pytest.mark.parametrize("headers", [
    {"x-slack-retry-num": ["12"]},  # as bolt keeps them
    {"x-slack-retry-num": "12"},    # as the ASGI request gives them, before bolt
])
def test_a_header_reads_the_same_whether_bolt_or_the_asgi_request_gave_it(headers):
    assert header(headers, "x-slack-retry-num") == "12"
    assert retry_number(headers) == 12


@pytest.mark.parametrize("headers", [{}, {"x-slack-retry-num": ""},
                                     {"x-slack-retry-num": []}, {"x-slack-retry-num": ["x"]}])
def test_a_missing_or_unreadable_retry_number_is_a_first_delivery(headers):
    assert retry_number(headers) == 0
