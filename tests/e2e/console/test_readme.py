"""The README's console tour runs as written: every line answered, nothing refused."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def tour_lines() -> list[str]:
    text = README.read_text()
    section = text[text.index("## A console tour"):]
    block = re.search(r"```text\n(.*?)```", section, re.S)
    return block.group(1).splitlines()


def test_the_readme_tour_runs_without_a_refusal_or_an_error(console):
    out = console.run("\n".join(tour_lines()) + "\n")
    assert "went wrong" not in out and "Traceback" not in out
    assert "There is no" not in out and "Only " not in out.replace("Only people who signed", "")
    assert "has reached its threshold" in out
    assert "• sam" in out and "• lee" not in out
    assert "Authors are never shown" in out
