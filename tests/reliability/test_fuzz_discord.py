"""Fuzzed option values through the real discord.py client and the fake Discord: no interaction
fails, every answer is private, readable and pings nobody, and a refusal stores nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from bots.commands.registry import registry
from bots.discord_bot.tree import discord_path, slots
from tests.e2e.discord_bot.workspace import start_campaign
from tests.integration.bots.commands.test_fuzz_commands import database_state
from tests.reliability.fuzzing import Outcomes, stores_nothing, unreadable, words

MODAL, MESSAGE, DEFERRED = 9, 4, 5
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Discord refuses option strings over 6,000 characters before they reach a bot.
option_text = st.one_of(st.sampled_from(["ethics", "ethics", "G-1", "1"]), words).map(
    lambda text: text[:6000])


@st.composite
def discord_commands(draw):
    """A command path as Discord shows it, its required options and some optional ones, fuzzed."""
    spec = draw(st.sampled_from(sorted(registry().specs.values(), key=lambda s: s.path)))
    options, users = {}, {}
    for slot in slots(spec):
        if not slot.required and draw(st.booleans()):
            continue
        if slot.kind == "user":
            users[slot.name] = draw(st.sampled_from(["alice", "bob", "carol", "erin"]))
        elif slot.kind == "flag":
            options[slot.name] = draw(st.booleans())
        elif slot.kind == "choice":  # Discord only sends one of the offered choices
            options[slot.name] = draw(st.sampled_from([value for value, _ in slot.choices]))
        else:
            options[slot.name] = draw(option_text)
    return discord_path(registry(), spec), options, users


@pytest.fixture
async def discord_ethics(bot):
    """`ethics` on the fake Discord (lead alice, liaison carol, member bob) with a pledge;
    every command's outcome recorded. Set up once for all of a test's examples."""
    await start_campaign(bot)
    await bot.run("alice", "pledge", "create", {"name": "ethics", "text": "We will not build it"})
    with pytest.MonkeyPatch.context() as patch:
        yield bot, Outcomes(bot.app.dispatcher("discord"), patch)


@FUZZ
@given(picked=discord_commands(), who=st.sampled_from(["alice", "bob", "carol", "dave"]))
@example(picked=(("campaign", "support"), {"point": "\n"}, {}), who="alice")  # once "`None`"
@example(picked=(("liaison", "block"), {"id": "999999999999"}, {}), who="alice")  # "try again"
@pytest.mark.slow
async def test_fuzzed_discord_options_get_private_readable_answers_and_refusals_store_nothing(
    discord_ethics, picked, who,
):
    bot, outcomes = discord_ethics
    path, options, users = picked
    sent = repr((path, options))
    before = database_state(bot.app.engine)
    outcomes.take()

    answer = await bot.run(who, path[0], list(path[1:]), options, users=users)

    replies = outcomes.take()
    event("a form opened" if answer.modal else
          "refused" if stores_nothing(replies) else "ran")
    assert answer.callback["type"] in (MODAL, MESSAGE, DEFERRED), sent
    assert bot.client.failures == [], sent
    if answer.modal is None:
        answer.assert_private_and_silent()
        problem = unreadable(answer.text, sent, mrkdwn=False)
        assert problem is None, f"{sent}: {problem}: {answer.text!r}"
    if answer.modal is not None or stores_nothing(replies):
        assert database_state(bot.app.engine) == before, f"refused {sent} wrote"


async def test_a_required_option_sent_blank_is_asked_for_by_name_and_stores_nothing(
    discord_ethics,
):
    bot, _ = discord_ethics
    before = database_state(bot.app.engine)

    answer = await bot.run("bob", "pledge", "sign", {"name": " "})

    assert "That command needs NAME" in answer.text
    assert "None" not in answer.text
    assert database_state(bot.app.engine) == before
