"""The campaign flow on Discord: a form to create, membership, roles, the inbox, headcount auto."""

from datetime import timedelta

from tests.e2e.discord_bot.discord_payloads import member_object, person_object, user_object
from tests.e2e.discord_bot.driver import EPHEMERAL, NOBODY
from tests.e2e.discord_bot.fake_discord import person_id


async def _create_ethics(bot):
    opened = await bot.run("alice", "campaign", "create", {"name": "ethics"})
    return await bot.submit("alice", opened.modal, {
        "name": "ethics", "title": "Stop serving nudify apps", "description": "",
        "headcount": "40", "threshold": ""})


async def test_create_opens_a_form_and_the_submitted_form_creates_the_campaign(bot):
    opened = await bot.run("alice", "campaign", "create", {"name": "ethics"})

    assert opened.callback["type"] == 9
    assert opened.modal["title"] == "New campaign"
    inputs = opened.modal_inputs()
    assert list(inputs) == ["name", "title", "description", "headcount", "threshold"]
    assert inputs["name"]["value"] == "ethics"
    assert inputs["description"]["style"] == 2 and inputs["description"]["required"] is False

    created = await bot.submit("alice", opened.modal, {
        "name": "ethics", "title": "Stop serving nudify apps", "description": "",
        "headcount": "40", "threshold": ""})

    # Ready at once, so the answer is the response itself, not a deferral and a follow-up.
    assert created.callback["type"] == 4 and created.callback["data"]["flags"] == EPHEMERAL
    created.assert_private_and_silent()
    assert "Campaign **ethics** is open" in created.text
    assert "Title: Stop serving nudify apps" in created.text
    assert "threshold 5% = 2 people" in created.text


async def test_create_with_its_fields_as_options_needs_no_form(bot):
    created = await bot.run("alice", "campaign", "create", {
        "name": "ethics", "title": "Stop serving nudify apps", "headcount": "1200",
        "private": True, "milestone_1": "30"})

    created.assert_private_and_silent()
    assert "Campaign **ethics** is open (private" in created.text
    info = await bot.run("alice", "campaign", "info", {"name": "ethics"})
    assert "Milestones: 5%, 30%." in info.text
    assert "Headcount: 1,200." in info.text


async def test_the_campaign_flow_from_creation_to_an_automatic_headcount(bot):
    await _create_ethics(bot)

    joined = await bot.run("bob", "campaign", "join", {"name": "ethics"})
    joined.assert_private_and_silent()
    assert "You joined **ethics**: Stop serving nudify apps." in joined.text

    appointed = await bot.run("alice", "campaign", ["liaison", "add"], {"name": "ethics"},
                              users={"user": "carol"})
    appointed.assert_private_and_silent()
    assert f"<@{person_id('carol')}> is now a liaison of `ethics`" in appointed.text
    assert "1 of at most 6 liaisons" in appointed.text

    assert await bot.dms("carol") == [], "an appointment pings nobody at that moment"

    inbox = await bot.run("carol", "campaign", "inbox")
    inbox.assert_private_and_silent()
    assert "You are now a liaison of `ethics`." in inbox.text
    assert "Your inbox is now empty." in inbox.text

    counted = await bot.run("alice", "campaign", "headcount", {"name": "ethics", "n": "auto"})
    counted.assert_private_and_silent()
    assert "will be counted from the workspace" in counted.text
    info = await bot.run("bob", "campaign", "info", {"name": "ethics"})
    # The fake server has five people and the bot itself, which is not counted.
    assert "Headcount: 5 (counted from the workspace)." in info.text
    assert "You are a member." in info.text

    await bot.advance(timedelta(days=1))  # the daily digest, the same for every member
    [ping] = await bot.dms("carol")
    assert ping["allowed_mentions"] == NOBODY
    assert "run `/campaign inbox`" in ping["content"]
    assert "liaison" not in ping["content"] and "ethics" not in ping["content"]


async def test_a_refused_command_answers_privately_with_what_to_do_next(bot):
    refused = await bot.run("bob", "campaign", "join", {"name": "nosuch"})

    refused.assert_private_and_silent()
    assert "nosuch" in refused.text and "/campaign list" in refused.text


async def test_a_person_named_in_an_option_is_resolved_from_discords_user_option(bot):
    await _create_ethics(bot)

    made = await bot.run("alice", "campaign", ["lead", "add"], {"name": "ethics"},
                         users={"user": "dave"})
    info = await bot.run("dave", "campaign", "info", {"name": "ethics"})

    assert "is now a lead of `ethics`" in made.text
    assert "You are a lead." in info.text


async def test_the_daily_job_recounts_auto_headcounts_leaving_bots_out(bot):
    await _create_ethics(bot)
    await bot.run("alice", "campaign", "headcount", {"name": "ethics", "n": "auto"})
    bot.fake.members.extend(member_object(person_object(person_id(f"member{n}")))
                            for n in range(6, 9))
    bot.fake.members.append(member_object(user_object(1290000000000077777, "otherbot", bot=True)))

    await bot.advance(timedelta(days=1))
    info = await bot.run("bob", "campaign", "info", {"name": "ethics"})

    assert "Headcount: 8 (counted from the workspace)." in info.text
