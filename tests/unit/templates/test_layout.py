"""One way to find a template: `templates/common/X`, unless `templates/<platform>/X` overrides it.

- `common/` holds what every platform shows, so nothing in it is named after a platform.
- `<platform>/` (console, slack, discord) holds overrides at the same relative path as the
  common template they replace, and the platform's own messages and data under `adapter/`.
- `web/` is the dashboard's: its pages (HTML, SVG, CSV) and `static/`; it falls back to
  `common/` for the words chat uses too, so a `.j2` there may also override a common one.
- `operator/` is the command line's: what whoever runs the bot reads on the terminal
  (`operator_renderer()`), which no chat platform shows.
- `locale/` holds the gettext catalogs those templates' sentences are translated with
  (docs/TRANSLATING.md); it holds no template.
"""

from pathlib import Path

import pytest

from bots.output.rendering import ESCAPERS, TEMPLATES, Renderer, operator_renderer

CHAT = sorted(ESCAPERS)
FOLDERS = {"common", "operator", "web", "locale", *CHAT}
WEB_OWN = (".html.j2", ".svg.j2", ".csv.j2")


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def test_the_templates_folder_holds_common_each_platform_the_dashboard_and_the_operator():
    folders = {path.name for path in TEMPLATES.iterdir() if path.is_dir() and path.name != "__pycache__"}

    assert folders == FOLDERS


def test_nothing_under_common_is_named_after_a_platform():
    named = [name for name in _files(TEMPLATES / "common")
             if any(part.split(".")[0] in FOLDERS - {"common"} for part in Path(name).parts)]

    assert named == []


@pytest.mark.parametrize("platform", CHAT)
def test_a_platform_file_overrides_a_common_one_or_is_the_platforms_own(platform):
    common = set(_files(TEMPLATES / "common"))

    stray = [name for name in _files(TEMPLATES / platform)
             if name not in common and not name.startswith("adapter/")]

    assert stray == []


def test_a_platforms_own_folder_does_not_shadow_a_common_one():
    # `adapter/X` means the platform's own X on every platform: common/ has no adapter/.
    assert not (TEMPLATES / "common" / "adapter").exists()


def test_a_dashboard_file_is_a_page_a_static_file_or_overrides_a_common_one():
    common = set(_files(TEMPLATES / "common"))

    stray = [name for name in _files(TEMPLATES / "web")
             if name not in common and not name.endswith(WEB_OWN) and not name.startswith("static/")]

    assert stray == []


def test_the_operators_messages_are_templates_the_command_line_can_render():
    names = _files(TEMPLATES / "operator")
    renderer = operator_renderer()

    assert names and all(name.endswith(".j2") for name in names)
    for name in names:
        assert renderer.env.get_template(f"operator/{name}")


@pytest.mark.parametrize("platform", CHAT)
def test_chat_cannot_reach_the_operators_messages(platform):
    with pytest.raises(Exception, match="operator/about.j2"):
        Renderer(platform).env.get_template("operator/about.j2")


def test_an_override_wins_and_a_platforms_own_template_is_found_by_the_same_name():
    discord, console = Renderer("discord"), Renderer("console")

    assert discord.env.get_template("help/topic.j2").filename.endswith("discord/help/topic.j2")
    assert console.env.get_template("help/topic.j2").filename.endswith("common/help/topic.j2")
    assert discord.env.get_template("adapter/posted.j2").filename.endswith("discord/adapter/posted.j2")
    assert console.env.get_template("adapter/welcome.j2").filename.endswith("console/adapter/welcome.j2")
