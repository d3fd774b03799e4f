"""Fuzzed Slack input, signed and sent to the app as Slack would: slash command text and options,
and modal submissions of the three forms. Never a 5xx, never a crash, every refusal readable,
and a refused command or submission leaves every row as it was.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from bots.commands.forms import forms
from bots.commands.registry import registry
from bots.slack_app.views import TITLE_MAX, Opening, modal
from tests.e2e.slack_app.workspace import start_campaign
from tests.integration.bots.commands.test_fuzz_commands import database_state
from tests.reliability.fuzzing import Outcomes, stores_nothing, texts_in, unreadable, words

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
WHO = st.sampled_from(["alice", "bob", "carol", "dave"])  # lead, member, liaison, outsider

options = st.tuples(
    st.sampled_from(["text", "title", "description", "to", "point", "ask", "headcount",
                     "threshold", "retention", "deadline", "milestone", "named", "conditional",
                     "private", "vent", "solve", "team", "confirm", "bogus", ""]),
    words,
).map(lambda pair: f"--{pair[0]} {json.dumps(pair[1], ensure_ascii=False)}" if pair[1]
       else f"--{pair[0]}")


@st.composite
def slash_commands(draw) -> str:
    """`/command rest`: a real command path or a near miss, fuzzed words, fuzzed options."""
    path = draw(st.sampled_from(sorted(registry().specs))) + draw(
        st.lists(st.sampled_from(["", "help", "payload"]), max_size=1).map(tuple))
    command = draw(st.sampled_from([path[0], path[0], path[0], "nothing", "Campaign"]))
    named = draw(st.sampled_from([["ethics"], ["ethics"], []]))  # most commands want a NAME
    rest = [*path[1:], *named, *draw(st.lists(words, max_size=3)),
            *draw(st.lists(options, max_size=3))]
    return f"/{command} " + " ".join(word for word in rest if word)


async def _prepared(workspace) -> None:
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("alice", '/pledge create ethics --text "We will not build it."')


@pytest.fixture
async def ethics(workspace, monkeypatch):
    """The workspace with campaign `ethics` (lead alice, liaison carol, member bob) and a pledge;
    every command's outcome recorded. Set up once for all of a test's examples."""
    await _prepared(workspace)
    return workspace, Outcomes(workspace.live.slack.dispatcher, monkeypatch)


@FUZZ
@given(line=slash_commands(), who=WHO)
@pytest.mark.slow
async def test_fuzzed_slash_commands_get_readable_answers_and_refusals_store_nothing(
    ethics, line, who,
):
    workspace, outcomes = ethics
    before, opened = database_state(workspace.app.engine), len(workspace.opened_views())
    outcomes.take()

    answer = await workspace.command(who, line)

    replies = outcomes.take()
    event(_kind(replies))
    assert answer.status == 200, f"{line!r}: ack {answer.status}"
    # An ack carries nothing, or the answer itself, privately.
    assert answer.in_ack is None or answer.in_ack["response_type"] == "ephemeral", line
    assert answer.replies or len(workspace.opened_views()) > opened, f"{line!r}: no answer"
    for message in answer.replies:
        for text in texts_in(message):
            problem = unreadable(text, line)
            assert problem is None, f"{line!r}: {problem}: {text!r}"
    if stores_nothing(replies) or not replies:
        assert database_state(workspace.app.engine) == before, f"refused {line!r} wrote"


SENSIBLE = {"name": "stop-nudify", "title": "End nudify merchant accounts",
            "description": "Card payments keep nudify apps in business.", "headcount": "400",
            "threshold": "5", "text": "The on-call rota leaves no rest between shifts.",
            "to": "Chief Risk Officer", "point1": "We process payments for nudify apps.",
            "point2": "Those apps turn photos of women into fake intimate images.",
            "point3": "Labelling them fake does not undo the harm.",
            "ask": "End merchant accounts for AI nudification services this quarter."}


def _kind(replies) -> str:
    # Shown by --hypothesis-show-statistics: how many examples got past the refusals.
    if not replies:
        return "a form opened"
    return "refused or asked first" if stores_nothing(replies) else "ran"


@st.composite
def submissions(draw) -> tuple[str, str | None, dict[str, str]]:
    """A form, the campaign NAME its modal was opened for, and fuzzed values for its fields."""
    form = forms()[draw(st.sampled_from(sorted(forms())))]
    campaign = draw(st.sampled_from([None, "ethics", "ethics", "ethics", "ETHICS", "nope",
                                     "<!channel>", "a" * 40]))
    values = {}
    for field in form.fields:
        if field.choice is not None:
            choices = [*field.choice, *field.choice, "", "bogus", "named", "confirm", "send-anyway"]
            values[field.key] = draw(st.sampled_from(choices))
            continue
        longest = field.max_length or 3000
        # Long text comes from `words` and the over-long value: hypothesis discards huge draws.
        fuzzed = st.one_of(words, st.text(max_size=200), st.just("x" * (longest + 1)))
        # Mostly sensible values, so that the fuzzed one is often the only thing wrong.
        sensible = draw(st.integers(0, 3)) > 0
        values[field.key] = SENSIBLE[field.key] if sensible else draw(fuzzed)
    return form.name, campaign, values


@FUZZ
@given(submitted=submissions(), who=WHO)
@example(submitted=("grievance", None, {"text": "ethics", "tag": "vent"}), who="alice")
@pytest.mark.slow
async def test_fuzzed_modal_submissions_get_200_readable_errors_and_refusals_store_nothing(
    ethics, submitted, who,
):
    workspace, outcomes = ethics
    name, campaign, values = submitted
    opened = modal(Opening(forms()[name], campaign, "C0GENERAL"))
    sent = json.dumps([campaign, values], ensure_ascii=False)
    before = database_state(workspace.app.engine)
    outcomes.take()

    response = await workspace.submit(who, opened, values)

    replies = outcomes.take()
    event(f"{name}: {_kind(replies)}")
    assert response.status_code == 200, f"{sent}: {response.status_code}"
    ack = response.json()
    assert ack["response_action"] in ("errors", "update"), ack
    if ack["response_action"] == "errors":
        blocks = {block["block_id"] for block in opened["blocks"]}
        assert ack["errors"] and set(ack["errors"]) <= blocks, ack["errors"]
        for text in ack["errors"].values():
            problem = unreadable(text, sent, mrkdwn=False)
            assert problem is None, f"{sent}: {problem}: {text!r}"
    else:
        view = ack["view"]
        assert len(view["title"]["text"]) <= TITLE_MAX
        assert len(view.get("private_metadata", "")) <= 3000
        for text in texts_in(view["blocks"]):
            problem = unreadable(text, sent)
            assert problem is None, f"{sent}: {problem}: {text!r}"
    if ack["response_action"] == "errors" or stores_nothing(replies):
        assert database_state(workspace.app.engine) == before, f"refused {sent} wrote"


async def test_a_submission_that_is_not_one_of_our_forms_is_acknowledged_and_stores_nothing(
    workspace,
):
    await _prepared(workspace)
    before = database_state(workspace.app.engine)
    opened = modal(Opening(forms()["grievance"], "ethics"))

    for metadata in ("", "{", "[]", '{"form": "nope"}', '{"form": null}', "payload"):
        body = workspace.submission_body("bob", {**opened, "private_metadata": metadata},
                                         {"text": "The rota leaves no rest.", "tag": "solve"})
        response = await workspace.post(body)
        assert response.status_code == 200, metadata
        assert response.text in ("", "{}"), (metadata, response.text)

    assert database_state(workspace.app.engine) == before
