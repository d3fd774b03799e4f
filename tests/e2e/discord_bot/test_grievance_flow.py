"""A grievance on Discord: a one-field form, a front-page warning with buttons, the liaison's
queue and reply, and relayed text that can ping nobody."""

from datetime import timedelta

from campaigns.grievances.models import Grievance
from tests.e2e.discord_bot.driver import NOBODY
from tests.e2e.discord_bot.workspace import count_rows, find, start_campaign

HOSTILE = "The rota @everyone knows is broken; ask <@&123> and [the handbook](http://evil.example)"


async def test_a_grievance_with_mentions_reaches_the_liaison_pinging_nobody_and_is_answered(bot):
    await start_campaign(bot, liaison="carol", members=("bob",))

    opened = await bot.run("bob", "grievance", "file", {"name": "ethics", "tag": "solve"})
    assert list(opened.modal_inputs()) == ["text"], "vent or solve came as a command option"
    warned = await bot.submit("bob", opened.modal, {"text": HOSTILE})

    warned.assert_private_and_silent()
    assert "Nothing was stored yet" in warned.text
    assert count_rows(bot, Grievance) == 0
    buttons = [b["label"] for row in warned.messages[-1]["components"]
               for b in row["components"]]
    assert buttons == ["Send it as it is", "Edit it"]

    filed = await bot.click("bob", warned, "Send it as it is")
    assert filed.callback["type"] == 7 and filed.callback["data"]["components"] == []
    assert filed.callback["data"]["allowed_mentions"] == NOBODY
    filed.assert_private_and_silent()
    ref = find(r"G-[A-Z0-9]+", filed.text)
    assert count_rows(bot, Grievance) == 1

    await bot.advance(timedelta(hours=1))  # the queue shows what the last snapshot published
    queue = await bot.run("carol", "liaison", "queue", {"name": "ethics"})
    queue.assert_private_and_silent()
    relayed = queue.messages[0]
    # Must show: the relayed text pings nobody, by the payload and by its content.
    assert relayed["allowed_mentions"] == NOBODY
    assert "@everyone" not in relayed["content"] and "<@&123>" not in relayed["content"]
    assert "@\u200beveryone" in relayed["content"] and "](http" not in relayed["content"]
    assert "rota" in relayed["content"] and "bob" not in relayed["content"]
    item = find(r"#(\d+) · solve", relayed["content"])

    replied = await bot.run("carol", "liaison", "reply", {"id": item, "text": "We hear you."})
    replied.assert_private_and_silent()
    assert await bot.dms("bob") == [], "a reply pings nobody: its time would point at the author"
    await bot.advance(timedelta(days=1))
    [ping] = [dm for dm in await bot.dms("bob")]
    assert ping["allowed_mentions"] == NOBODY and "ethics" not in ping["content"]
    status = await bot.run("bob", "grievance", "status", {"ref": ref})
    assert "The liaison group" in status.text and "We hear you." in status.text
    assert "carol" not in status.text


async def test_edit_reopens_the_form_with_the_text_and_an_edited_text_is_filed(bot):
    await start_campaign(bot, liaison="carol", members=("bob",))
    opened = await bot.run("bob", "grievance", "file", {"name": "ethics", "tag": "vent"})
    warned = await bot.submit("bob", opened.modal, {"text": "My manager Dana Smith is an idiot."})

    again = await bot.click("bob", warned, "Edit it")
    assert again.modal_inputs()["text"]["value"] == "My manager Dana Smith is an idiot."
    filed = await bot.submit("bob", again.modal, {"text": "Reviews are rushed every quarter."})

    assert "Your grievance is in the queue of `ethics`, tagged vent" in filed.text
    assert count_rows(bot, Grievance) == 1


async def test_a_grievance_typed_with_its_text_needs_no_form(bot):
    await start_campaign(bot, liaison="carol", members=("bob",))

    filed = await bot.run("bob", "grievance", "file", {
        "name": "ethics", "tag": "vent", "text": "The payments team works every weekend"})

    assert filed.callback["type"] == 4, "ready at once: the answer is the response itself"
    assert "Your grievance is in the queue of `ethics`, tagged vent" in filed.text


async def test_a_warned_grievance_on_discord_ends_in_the_button_or_the_option_never_a_typed_flag(
        bot):
    await start_campaign(bot, liaison="carol", members=("bob",))

    warned = await bot.run("bob", "grievance", "file", {
        "name": "ethics", "tag": "solve", "text": "My manager Dana Smith is an idiot."})

    assert "Nothing was stored yet" in warned.text
    assert "--send-anyway" not in warned.text and "--text" not in warned.text
    assert "press **Send it as it is**" in warned.text
    assert "`send_anyway: True`" in warned.text
    buttons = [b["label"] for row in warned.messages[-1]["components"]
               for b in row["components"]]
    assert "Send it as it is" in buttons

    again = await bot.run("bob", "grievance", "file", {
        "name": "ethics", "tag": "solve", "text": "My manager Dana Smith is an idiot.",
        "send_anyway": True})
    assert "Your grievance is in the queue of `ethics`, tagged solve" in again.text
    assert count_rows(bot, Grievance) == 1


async def test_revealing_oneself_on_discord_asks_for_the_confirm_option_not_a_typed_flag(bot):
    await start_campaign(bot, liaison="carol", members=("bob",))
    filed = await bot.run("bob", "grievance", "file", {
        "name": "ethics", "tag": "vent", "text": "The payments team works every weekend"})
    ref = find(r"G-[A-Z0-9]+", filed.text)

    asked = await bot.run("bob", "grievance", "reveal", {"ref": ref})

    assert f"`/grievance reveal ref: {ref} confirm: True`" in asked.text
    assert "--confirm" not in asked.text
