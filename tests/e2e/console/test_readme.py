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


def test_the_tour_ends_with_the_same_digest_for_every_member_but_the_one_who_turned_it_off(
        console):
    out = console.run("\n".join(tour_lines()) + "\n")
    digest = out[out.rindex("[clock]"):]
    told = set(re.findall(r"^\[dm ([^\]]+)\]$", digest, re.M))
    assert told == {"maya", "jon", "priya", "sam", "ana"}
    assert digest.count("Your daily Concerted digest") >= len(told)



def test_the_tour_shows_the_liaisons_reply_as_the_author_reads_it(console):
    out = console.run("\n".join(tour_lines()) + "\n")
    blocks = re.split(r"^(\[[^\]\n]+\])$", out, flags=re.MULTILINE)
    [status] = [body for header, body in zip(blocks[1::2], blocks[2::2], strict=True)
                if header == "[ana · only you]" and "Your grievances" in body]
    lines = [line.strip() for line in status.splitlines()]
    said = lines.index(next(line for line in lines if line.startswith("The liaison group ·")))
    assert lines[said + 1] == "Thank you. Can you say which team raised the flag?"
    assert "Risk flagged two nudify merchants" in status and "jon" not in status
