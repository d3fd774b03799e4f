"""Template sources that render as a person would write: no sentence glued to the next.

The environment trims the newline after a block tag (`trim_blocks`), so a line
of text that ends in `{% endif %}` runs into the next line of text ("The target
is reached.As of the snapshot…"). Such a line must end in `+%}`, which keeps
its newline.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
_TAG_ONLY = re.compile(r"\s*(\{%.*?%\}\s*)+")
_ENDS_IN_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*[^+-]%\}\s*$")


def glued_lines(source: str) -> list[int]:
    """Line numbers whose trailing block tag would swallow the newline before more text."""
    lines = source.split("\n")
    found = []
    for number, line in enumerate(lines):
        match = _ENDS_IN_TAG.search(line)
        # An include brings its own last newline; a multi-line tag's last line holds no text.
        if not match or match.group(1) == "include" or _TAG_ONLY.fullmatch(line) \
                or not re.search(r"\S", line[:match.start()]) or "{%" not in line:
            continue
        following = number + 1
        while following < len(lines) and _TAG_ONLY.fullmatch(lines[following]):
            following += 1
        if following < len(lines) and lines[following].strip():
            found.append(number + 1)
    return found


def test_the_check_finds_a_glued_line_and_passes_a_kept_newline():
    assert glued_lines("It is reached.{% if x %} Yes.{% endif %}\nAs of now.") == [1]
    assert glued_lines("It is reached.{% if x %} Yes.{% endif +%}\nAs of now.") == []
    assert glued_lines("{% if x %}\nA.\n{% endif %}\nB.") == []


def test_no_template_line_runs_into_the_next():
    glued = {str(path.relative_to(TEMPLATES)): lines
             for path in sorted(TEMPLATES.rglob("*.j2"))
             if (lines := glued_lines(path.read_text()))}
    assert glued == {}
