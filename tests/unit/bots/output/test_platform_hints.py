"""A hint names a flag or an option as the reader's platform shows it: typed on the console and
Slack, a filled-in option on Discord. Every template Discord shows is read through its Discord
flavour; the other platforms' own templates and the operator's through theirs."""

import re

import pytest

from bots.output.rendering import Renderer, operator_renderer
from tests.samples import operator_template_names, render_all, source, template_names

TYPED_FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def _everything() -> list[tuple[Renderer, str]]:
    """Every template with the renderer that shows it: what Discord shows (common/ and its own),
    Slack's and the console's own, and the operator's terminal messages."""
    discord, slack, console = Renderer("discord"), Renderer("slack"), Renderer("console")
    return [*((discord, name) for name in template_names("discord")),
            *((slack, name) for name in template_names("slack") if name.startswith("adapter/")),
            *((console, name) for name in template_names("console") if name.startswith("adapter/")),
            *((operator_renderer(), name) for name in operator_template_names())]


def test_every_template_can_be_read_with_stand_in_values():
    everything = _everything()

    shown = {(renderer.platform, name): render_all(renderer, name) for renderer, name in everything}
    # Templates that only define macros or words for Python show nothing by themselves.
    macros = {(renderer.platform, name) for renderer, name in everything
              if re.search(r"^{% (macro|set) ", source(renderer, name), re.M)}

    assert len(shown) > 200
    assert [key for key, texts in shown.items()
            if not any(text.strip() for text in texts) and key not in macros] == []


@pytest.mark.parametrize("name", template_names("discord"))
def test_no_template_tells_a_discord_user_to_type_a_flag(name):
    for text in render_all(Renderer("discord"), name):
        assert TYPED_FLAG.findall(text) == [], text


def test_no_template_spells_a_flag_instead_of_asking_the_renderer():
    # The console's own templates explain its line syntax, flags and all.
    spelled = {}
    for renderer, name in _everything():
        if renderer.platform == "console" and name.startswith("adapter/"):
            continue
        found = TYPED_FLAG.findall(source(renderer, name))
        if found:
            spelled[(renderer.platform, name)] = found
    assert spelled == {}


@pytest.mark.parametrize(("platform", "shown"), [
    ("console", "--send-anyway / --text \"…\" / --point / ethics"),
    ("slack", "--send-anyway / --text \"…\" / --point / ethics"),
    ("discord", "send_anyway: True / text: … / point_2 / name: ethics"),
])
def test_flags_options_and_arguments_are_shown_as_the_platform_shows_them(platform, shown):
    template = ("{{ flag('send-anyway') }} / {{ option('text', '\"…\"') }} / "
                "{{ option('point', n=2 if platform == 'discord' else None) }} / "
                "{{ arg('name', 'ethics') }}")

    assert Renderer(platform).env.from_string(template).render() == shown


def test_a_front_page_warning_on_discord_points_at_its_buttons_and_elsewhere_at_the_flag():
    warning = {"campaign": "ethics", "warnings": []}

    on_discord = Renderer("discord").render("grievance/warned.j2", w=warning)
    on_console = Renderer("console").render("grievance/warned.j2", w=warning)

    assert "press **Send it as it is**" in on_discord and "`send_anyway: True`" in on_discord
    assert on_console.endswith("To send it as it is, run it again with `--send-anyway` added.")


def test_values_inside_an_argument_are_escaped_for_the_platform():
    shown = Renderer("slack").env.from_string("{{ arg('name', name) }}").render(name="<!channel>")

    assert shown == "&lt;!channel&gt;"


def test_a_value_in_a_discord_hint_shows_as_typed_and_cannot_leave_its_code_span():
    template = "`{{ arg('ref', ref) }}`"

    shown = Renderer("discord").env.from_string(template).render(ref="G-4K9Q`@everyone")

    assert shown.count("`") == 2 and "G-4K9Q" in shown and "\\" not in shown
