"""Threshold reports on Discord: the headline for members, the full report and chart for leads
(privately), and a weekly post of anonymized counts in the channel a lead chose."""

from datetime import timedelta

from tests.e2e.discord_bot.fake_discord import CHANNEL_ID, person_id

TITLE = "Secret plan @everyone against the board"


async def _signed_campaign(bot) -> None:
    await bot.run("alice", "campaign", "create",
                  {"name": "ethics", "title": TITLE, "headcount": "40"})
    await bot.run("alice", "pledge", "create", {"name": "ethics", "text": "We will not build it"})
    for name in ("bob", "carol", "dave", "erin", "alice", "member6"):
        await bot.run(name, "pledge", "sign", {"name": "ethics"})
    await bot.advance(timedelta(hours=1))


async def test_a_lead_gets_the_report_and_chart_privately_and_the_channel_only_counts(bot):
    await _signed_campaign(bot)

    lead = await bot.run("alice", "threshold", "show", {"name": "ethics"})
    member = await bot.run("bob", "threshold", "show", {"name": "ethics"})

    lead.assert_private_and_silent()
    member.assert_private_and_silent()
    assert "Supporters: 6 of a headcount of 40" in lead.text
    assert [name for sent in lead.files for name in sent if name.endswith(".png")]
    assert "Supporters: 6" in member.text and "Members:" not in member.text
    assert member.files == [[]]

    scheduled = await bot.run("alice", "threshold", "schedule",
                              {"name": "ethics", "day": "monday", "time": "09:00", "here": True})
    scheduled.assert_private_and_silent()
    await bot.advance(timedelta(days=7))

    posts = [call.json for call in bot.fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")]
    assert posts, "no report was posted in the channel"
    assert all(post["allowed_mentions"] == {"parse": []} for post in posts)
    text = "\n".join(post["content"] for post in posts)
    assert "weekly threshold report" in text and "ethics" in text
    assert "Secret plan" not in text and str(person_id("alice")) not in text
