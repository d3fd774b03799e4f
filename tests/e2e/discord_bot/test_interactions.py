"""How the bot meets Discord: the synced tree, help, forms, DMs, failures and the logs."""

import logging

import discord
import pytest

from bots.commands.registry import registry
from bots.commands.replies import CHANNEL, Reply
from bots.discord_bot import answers as answers_module
from bots.discord_bot.tree import discord_path, slots
from tests.e2e.discord_bot.discord_payloads import modal_submit_payload
from tests.e2e.discord_bot.driver import EPHEMERAL, NOBODY
from tests.e2e.discord_bot.fake_discord import APPLICATION_ID, person_id


def _find(commands: list[dict], path: tuple[str, ...]) -> dict | None:
    found = next((c for c in commands if c["name"] == path[0]), None)
    if found is None or len(path) == 1:
        return found
    return _find([o for o in found.get("options", []) if o["type"] in (1, 2)], path[1:])


async def test_every_command_of_the_registry_is_synced_with_its_options(bot):
    synced = bot.fake.commands[None]
    missing = []
    for spec in registry().specs.values():
        path = discord_path(registry(), spec)
        command = _find(synced, path)
        if command is None:
            missing.append(path)
            continue
        options = [o for o in command.get("options", []) if o["type"] not in (1, 2)]
        assert [o["name"] for o in options] == [s.name for s in slots(spec)], path
        assert [o["required"] for o in options] == [s.required for s in slots(spec)], path
    assert missing == []
    for command in synced:
        assert command["contexts"] == [0], "commands are offered in servers only"
        assert 1 <= len(command["description"]) <= 100


async def test_options_are_typed_as_discord_shows_them(bot):
    synced = bot.fake.commands[None]
    create = _find(synced, ("campaign", "create"))
    kinds = {o["name"]: o["type"] for o in create["options"]}
    assert kinds["name"] == 3 and kinds["private"] == 5 and kinds["milestone_3"] == 3
    invite = _find(synced, ("campaign", "invite"))
    assert {o["name"]: o["type"] for o in invite["options"]}["user"] == 6
    grievance = _find(synced, ("grievance", "file"))
    if grievance is not None:
        tag = next(o for o in grievance["options"] if o["name"] == "tag")
        assert [c["value"] for c in tag["choices"]] == ["vent", "solve"]
        assert tag["required"] is True


async def test_help_is_answered_at_once_with_discords_own_usage(bot):
    answer = await bot.run("alice", "campaign", "help", {"command": "create"})

    assert answer.callback["type"] == 4
    answer.assert_private_and_silent()
    assert "Usage: `/campaign create name: [title:]" in answer.text
    assert "--title" not in answer.text
    listing = await bot.run("alice", "campaign", "help")
    assert "• `/campaign liaison add name: user:`" in listing.text


async def test_a_command_outside_a_server_is_refused_with_where_to_run_it(bot):
    answer = await bot.run("alice", "campaign", "list", guild_id=None)

    assert answer.callback["type"] == 4
    answer.assert_private_and_silent()
    assert "run this command in one of the server's channels" in answer.text


async def test_a_form_sent_after_the_bot_forgot_it_is_answered_not_ignored(bot):
    payload = modal_submit_payload("concerted-form:0123456789abcdef", {"title": "x"},
                                   user_id=person_id("bob"))
    answer = await bot.send(payload)

    assert answer.callback["type"] == 4
    answer.assert_private_and_silent()
    assert "no longer open" in answer.text and "nothing was saved" in answer.text


async def test_an_unexpected_failure_still_answers_and_logs_no_text(bot, monkeypatch, caplog):
    async def broken(self, interaction, replies, view=None):
        raise RuntimeError("@everyone the rota leaves no rest")

    monkeypatch.setattr(answers_module.Answers, "_send", broken)
    answer = await bot.run("alice", "campaign", "list")

    assert "Something went wrong on our side and nothing was changed" in answer.text
    answer.assert_private_and_silent()
    assert [type(f) for f in bot.forgive()] == [RuntimeError]
    assert "rota" not in caplog.text


async def test_long_answers_are_split_and_channel_answers_are_posted_for_all(
        bot, monkeypatch):
    long_line = "A talking point that goes on. " * 10
    replies = [Reply("adapter/posted.j2"), Reply("adapter/posted.j2", visibility=CHANNEL)]

    def invoke(self, person, inv, **extras):
        return replies

    monkeypatch.setattr(type(bot.client.answers.dispatcher), "invoke", invoke)
    monkeypatch.setattr(answers_module, "chunks",
                        lambda text: iter([long_line, long_line]))
    answer = await bot.run("alice", "campaign", "list")

    flags = [message.get("flags", 0) & EPHEMERAL for message in answer.messages]
    assert flags == [EPHEMERAL, EPHEMERAL, 0, 0]
    assert all(message["allowed_mentions"] == NOBODY for message in answer.messages)


async def test_a_ping_to_someone_whose_dms_fail_is_logged_without_their_id(bot, caplog):
    from campaigns.core.privacy import Person

    stranger = 1290000000000099999
    bot.app.notifier.ping(Person("discord", "1", str(stranger)))
    await bot.app.notifier.drain()

    assert "discord.ping_failed error=NotFound" in caplog.text
    assert str(stranger) not in caplog.text


async def test_the_client_asks_only_for_servers_and_their_member_lists(bot):
    wanted = discord.Intents(guilds=True, members=True)
    assert bot.fake.identify["intents"] == wanted.value


async def test_discords_own_debug_logs_never_reach_the_log_output(bot, capsys):
    from bots.runtime.logs import configure_logging

    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    configure_logging("DEBUG")
    try:
        answer = await bot.run("bob", "campaign", "join", {"name": "secret-plan-name"})
    finally:
        for handler in root.handlers[:]:
            if handler not in before[1]:
                root.removeHandler(handler)
        root.setLevel(before[0])
        for name in ("discord", "aiohttp", "asyncio"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    logged = capsys.readouterr().err

    assert "secret-plan-name" in answer.text
    assert "command.refused command=campaign.join reason=CampaignNotFound" in logged
    assert "secret-plan-name" not in logged
    assert str(person_id("bob")) not in logged
    assert APPLICATION_ID and "token" not in logged.lower()


@pytest.mark.parametrize("guild", [None, 1290000000000000100])
async def test_serve_syncs_commands_globally_or_to_the_development_server(
        fake_discord, settings, guild):
    import asyncio

    from bots.discord_bot.run import serve

    settings = settings.model_copy(update={
        "discord_token": fake_discord.token, "discord_guild_id": guild})
    running = asyncio.create_task(serve(settings, logging_setup=False))
    try:
        where = f"/guilds/{guild}/commands" if guild else "/commands"
        put = await fake_discord.wait_for_call("PUT", f"/applications/{APPLICATION_ID}{where}")
    finally:
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running

    assert {command["name"] for command in put.json} == set(registry().commands)
    other = "/commands" if guild else f"/guilds/{guild}/commands"
    assert fake_discord.calls_to("PUT", f"/applications/{APPLICATION_ID}{other}") == []


async def test_a_refused_token_stops_the_bot_with_a_readable_reason(fake_discord, settings, capsys):
    from bots.discord_bot.run import serve

    settings = settings.model_copy(update={"discord_token": "not-the-token"})

    assert await serve(settings, logging_setup=False) == 2
    assert "Discord refused the bot's token" in capsys.readouterr().err


async def test_an_application_command_and_its_form_are_bound_without_parsing_text(
        bot, monkeypatch):
    from bots.commands import parser

    seen: list[str] = []
    monkeypatch.setattr(parser, "tokenize", lambda text: seen.append(text) or [])

    form = await bot.run("alice", "campaign", "create", {"name": "ethics"})
    created = await bot.submit("alice", form.modal, {"title": "Stop serving nudify apps",
                                                     "headcount": "1200"})
    info = await bot.run("alice", "campaign", "info", {"name": "ethics"})

    assert "Headcount: 1,200." in info.text and "ethics" in created.text
    assert seen == []
