"""Commands a Discord client still offers from an older command list, or sends incomplete:
each gets the usage of the command it is closest to, never an incident number."""

from tests.e2e.discord_bot.discord_payloads import command_payload, person_id


async def _sent(bot, name, sub=(), options=None):
    return await bot.send(command_payload(name, sub, options, user_id=person_id("bob")))


async def test_a_grievance_without_its_subcommand_gets_the_usage_of_filing_one(bot):
    answer = await _sent(bot, "grievance")

    answer.assert_private_and_silent()
    assert "Usage: `/grievance file name: tag: [text:] [send_anyway:]`" in answer.text
    assert "• `/grievance reveal ref: [confirm:]`" in answer.text
    assert "Nothing was changed" in answer.text
    assert "incident" not in answer.text and "--" not in answer.text


async def test_a_subcommand_the_tree_no_longer_has_gets_its_groups_usage(bot):
    answer = await _sent(bot, "campaign", "rename", {"name": "ethics"})

    assert "• `/campaign create name:" in answer.text
    assert "incident" not in answer.text


async def test_a_group_sent_without_a_subcommand_gets_the_groups_usage(bot):
    answer = await _sent(bot, "campaign", "liaison")

    assert "• `/campaign liaison add name: user:`" in answer.text
    assert "• `/campaign liaison remove name: user:`" in answer.text


async def test_an_option_the_command_no_longer_has_gets_the_usage_and_runs_nothing(bot):
    answer = await _sent(bot, "pledge", "sign", {"name": "ethics", "anonymous": True})

    assert "Usage: `/pledge sign name: [named:] [conditional:]`" in answer.text
    assert "Nothing was changed" in answer.text
    assert answer.callback["type"] == 4, "answered at once: the command never started"


async def test_a_required_option_missing_from_an_old_command_gets_the_usage(bot):
    answer = await _sent(bot, "campaign", "invite", {"name": "ethics"})

    assert "Usage: `/campaign invite name: user:`" in answer.text
    assert "incident" not in answer.text


async def test_a_command_discord_still_offers_but_the_bot_no_longer_has_gets_the_command_list(
        bot):
    answer = await _sent(bot, "retired")

    assert answer.callback["type"] == 4
    answer.assert_private_and_silent()
    assert "Nothing was changed" in answer.text and "`/campaign`" in answer.text
    assert "incident" not in answer.text
