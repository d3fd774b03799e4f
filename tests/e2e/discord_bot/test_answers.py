"""How an interaction is answered: the response itself when the answer is ready within the
deadline, a deferral and a follow-up when it is not, and "busy" at once past the backlog."""

from __future__ import annotations

import time

from bots.output.rendering import Renderer
from campaigns.core.models import Signature
from tests.e2e.discord_bot.driver import EPHEMERAL
from tests.e2e.discord_bot.workspace import count_rows, start_campaign

BUSY = Renderer("discord").render("errors/busy.j2")


async def _pledge(bot) -> None:
    await start_campaign(bot, liaison=None, members=())
    await bot.run("alice", "pledge", "create", {"name": "ethics", "text": "We sign"})


async def test_a_quick_command_is_answered_in_the_response_itself(bot):
    await _pledge(bot)

    signed = await bot.run("bob", "pledge", "sign", {"name": "ethics"})

    assert signed.callback["type"] == 4 and not signed.deferred
    assert signed.callback["data"]["flags"] == EPHEMERAL
    assert "You signed the pledge of `ethics`" in signed.callback["data"]["content"]
    assert signed.followups == []
    signed.assert_private_and_silent()


async def test_a_command_slower_than_the_deadline_is_deferred_and_followed_up(
    bot, monkeypatch,
):
    await _pledge(bot)
    answers = bot.client.answers
    answers.answer_within = 0.1
    def slowed(run):
        def slow(*args, **kwargs):
            time.sleep(0.4)  # a busy database
            return run(*args, **kwargs)
        return slow

    # One by one, or together with others that arrive at once (bots/runtime/lane.py).
    for name in ("invoke", "invoke_many"):
        monkeypatch.setattr(answers.dispatcher, name, slowed(getattr(answers.dispatcher, name)))

    signed = await bot.run("bob", "pledge", "sign", {"name": "ethics"})

    assert signed.deferred and signed.callback["data"]["flags"] == EPHEMERAL
    [followup] = signed.followups
    assert "You signed the pledge of `ethics`" in followup["content"]
    signed.assert_private_and_silent()
    assert count_rows(bot, Signature) == 1


async def test_past_the_backlog_a_command_is_answered_busy_at_once_and_not_run(bot):
    await _pledge(bot)
    bot.client.answers.backlog.limit = 0

    refused = await bot.run("bob", "pledge", "sign", {"name": "ethics"})
    bot.client.answers.backlog.limit = 200
    later = await bot.run("bob", "pledge", "sign", {"name": "ethics"})

    assert refused.callback["type"] == 4
    assert refused.text == BUSY and "try again in a minute" in BUSY
    refused.assert_private_and_silent()
    assert "You signed the pledge of `ethics`" in later.text
    assert count_rows(bot, Signature) == 1
    assert bot.client.answers.backlog.taken == 0
