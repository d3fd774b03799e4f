"""The fake Discord speaks well enough for the real discord.py to log in, sync and answer."""

import discord
import pytest
from discord import app_commands

from bots.discord_bot.transport import point_discord_at
from tests.e2e.discord_bot.fake_discord import (
    APPLICATION_ID,
    GUILD_ID,
    FakeDiscord,
    command_payload,
    connected,
    modal_submit_payload,
    person_id,
)


class GrievanceForm(discord.ui.Modal, title="File a grievance"):
    story = discord.ui.TextInput(
        label="What happened?", style=discord.TextStyle.paragraph, custom_id="story"
    )

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__()
        self.errors = errors

    async def on_submit(self, interaction: discord.Interaction) -> None:
        reply = f"Filed, {len(self.story.value)} characters."
        await interaction.response.send_message(reply, ephemeral=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        self.errors.append(error)


def build_client(errors: list[Exception]) -> tuple[discord.Client, app_commands.CommandTree]:
    client = discord.Client(
        intents=discord.Intents.default(),
        allowed_mentions=discord.AllowedMentions.none(),
        guild_ready_timeout=0.1,
    )
    tree = app_commands.CommandTree(client)

    @tree.error
    async def record(interaction: discord.Interaction, error: Exception) -> None:
        errors.append(error)

    campaign = app_commands.Group(name="campaign", description="Organize a campaign")
    pledge = app_commands.Group(name="pledge", description="Pledges", parent=campaign)

    @campaign.command(name="help", description="What you can do")
    async def help_(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Start with /campaign create.", ephemeral=True)

    @pledge.command(name="sign", description="Sign a pledge")
    async def sign(interaction: discord.Interaction, name: str, quietly: bool, copies: int) -> None:
        reply = f"{name} signed, quietly={quietly}, copies={copies}."
        await interaction.response.send_message(reply, ephemeral=True)

    @campaign.command(name="count", description="Count slowly")
    async def count(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content=f"{name}: fewer than 5")
        await interaction.followup.send("Next snapshot in an hour.", ephemeral=True)

    @campaign.command(name="broken", description="Always fails")
    async def broken(interaction: discord.Interaction) -> None:
        raise RuntimeError("boom")

    @tree.command(name="grievance", description="File a grievance privately")
    async def grievance(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(GrievanceForm(errors))

    tree.add_command(campaign)
    return client, tree


@pytest.fixture
def errors() -> list[Exception]:
    return []


async def test_client_logs_in_and_gets_ready_over_a_compressed_gateway(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        assert client.user.id == APPLICATION_ID
        assert client.application_id == APPLICATION_ID
        assert client.get_guild(GUILD_ID).name == "Ledgerline Staff"

    assert fake_discord.gateway_queries[0]["compress"] == "zlib-stream"
    assert fake_discord.identify["intents"] == discord.Intents.default().value


async def test_sync_records_the_command_tree_and_echoes_ids(fake_discord, errors):
    client, tree = build_client(errors)
    async with connected(client, fake_discord):
        synced = await tree.sync()
        guild_synced = await tree.sync(guild=discord.Object(GUILD_ID))

    put = fake_discord.calls_to("PUT", f"/applications/{APPLICATION_ID}/commands")[0]
    campaign = next(command for command in put.json if command["name"] == "campaign")
    assert [option["name"] for option in campaign["options"]] == [
        "pledge", "help", "count", "broken"
    ]
    assert {command.name for command in synced} == {"campaign", "grievance"}
    assert all(command.id for command in synced)
    guild_path = f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    guild_put = fake_discord.calls_to("PUT", guild_path)
    assert guild_put[0].json == [] and guild_synced == []


async def test_subcommand_answers_ephemerally_without_mentions(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        payload = command_payload("campaign", "help")
        await fake_discord.dispatch_interaction(payload)
        callback = await fake_discord.wait_for_callback(payload["id"])

    assert callback["type"] == 4
    assert callback["data"]["flags"] == 64
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert callback["data"]["content"] == "Start with /campaign create."
    assert errors == []


async def test_grouped_subcommand_receives_typed_options(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        options = {"name": "ethics", "quietly": True, "copies": 2}
        payload = command_payload("campaign", "pledge sign", options, user_id=person_id("dave"))
        await fake_discord.dispatch_interaction(payload)
        callback = await fake_discord.wait_for_callback(payload["id"])

    assert callback["data"]["content"] == "ethics signed, quietly=True, copies=2."
    assert errors == []


async def test_command_in_a_dm_is_answered(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        payload = command_payload("campaign", "help", guild_id=None)
        await fake_discord.dispatch_interaction(payload)
        callback = await fake_discord.wait_for_callback(payload["id"])

    assert callback["type"] == 4
    assert errors == []


async def test_modal_opens_and_its_submission_is_answered(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        opened = command_payload("grievance", user_id=person_id("bob"))
        await fake_discord.dispatch_interaction(opened)
        modal = await fake_discord.wait_for_callback(opened["id"])
        assert modal["type"] == 9
        assert modal["data"]["components"][0]["components"][0]["custom_id"] == "story"

        fields = {"story": "Overtime went unpaid."}
        custom_id = modal["data"]["custom_id"]
        submitted = modal_submit_payload(custom_id, fields, user_id=person_id("bob"))
        await fake_discord.dispatch_interaction(submitted)
        reply = await fake_discord.wait_for_callback(submitted["id"])

    assert reply["type"] == 4
    assert reply["data"]["flags"] == 64
    assert reply["data"]["content"] == "Filed, 21 characters."
    assert errors == []


async def test_deferred_answer_is_edited_and_followed_up(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        payload = command_payload("campaign", ["count"], {"name": "ethics"})
        await fake_discord.dispatch_interaction(payload)
        webhook = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
        followup = await fake_discord.wait_for_call("POST", webhook)

    assert fake_discord.callbacks[payload["id"]] == {"type": 5, "data": {"flags": 64}}
    edit = fake_discord.calls_to("PATCH", f"{webhook}/messages/@original")[0]
    assert edit.json["content"] == "ethics: fewer than 5"
    assert followup.json["content"] == "Next snapshot in an hour."
    assert followup.json["flags"] == 64
    assert errors == []


async def test_a_failing_command_leaves_the_interaction_unanswered_and_is_recorded(
    fake_discord, errors
):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        payload = command_payload("campaign", "broken")
        await fake_discord.dispatch_interaction(payload)
        with pytest.raises(TimeoutError, match="callback"):
            await fake_discord.wait_for_callback(payload["id"], timeout=0.3)

    assert isinstance(errors[0].__cause__, RuntimeError)


async def test_dm_lands_in_the_recipients_channel(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        channel = await client.create_dm(discord.Object(person_id("carol")))
        await channel.send("There is an update: run /campaign inbox.")

    sent = [message["content"] for message in fake_discord.dms_to(person_id("carol"))]
    assert sent == ["There is an update: run /campaign inbox."]
    assert fake_discord.dms_to(person_id("alice")) == []


async def test_headcount_comes_from_counts_and_paged_members():
    async with FakeDiscord(headcount=1200) as fake:
        point_discord_at(fake.api_url, fake.gateway_url)
        try:
            client = discord.Client(intents=discord.Intents.all(), guild_ready_timeout=0.1)
            async with connected(client, fake):
                chunked = len(client.get_guild(GUILD_ID).members)
                guild = await client.fetch_guild(GUILD_ID, with_counts=True)
                members = [member async for member in guild.fetch_members(limit=None)]
        finally:
            point_discord_at(None, None)

    assert chunked == 1201  # a large guild is filled in by GUILD_MEMBERS_CHUNK
    assert guild.approximate_member_count == 1201
    assert len(members) == 1201
    assert len(fake.calls_to("GET", f"/guilds/{GUILD_ID}/members")) == 2


async def test_unknown_routes_are_recorded_and_answered_404(fake_discord, errors):
    client, _ = build_client(errors)
    async with connected(client, fake_discord):
        with pytest.raises(discord.NotFound):
            await client.http.request(discord.http.Route("GET", "/stickers/{id}", id=1))

    assert fake_discord.calls[-1].path == "/stickers/1"


async def test_wrong_token_fails_login(fake_discord):
    client = discord.Client(intents=discord.Intents.default())
    try:
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
    finally:
        await client.close()


def test_a_gateway_url_without_a_websocket_scheme_is_refused_and_changes_nothing():
    before = discord.http.Route.BASE
    with pytest.raises(ValueError, match="DISCORD_GATEWAY_URL"):
        point_discord_at("http://127.0.0.1:1/api/v10", "http://127.0.0.1:1/")
    after = discord.http.Route.BASE
    assert after == before
