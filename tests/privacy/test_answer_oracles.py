"""Attack: learn what one may not see from which answer comes back.

The attacker asks about things they have no right to see and compares the
answers: an item that exists against one that does not, a private campaign
against a name nobody uses, a member against a stranger. Every pair must
read the same, once the name or number asked about is blanked out.
"""

from __future__ import annotations

import re

import pytest

SETUP = """
    alice: /campaign create ethics --headcount 40 --private
    alice: /campaign create tools --headcount 40
    alice: /campaign liaison add ethics @lia
    alice: /campaign invite ethics @carol
    carol: /campaign join ethics
    alice: /campaign invite ethics @dan
    dan: /campaign join ethics
    alice: /campaign invite ethics @ivy
    alice: /pledge create ethics --text "We stand together."
    carol: /pledge sign ethics
    mallory: /campaign join tools
"""
DRAFT = ('carol: /petition draft ethics --title "Rest between shifts" --to "Head of Operations" '
         '--point "The rota leaves no rest between night and day shifts." '
         '--point "Three people fell asleep driving home this quarter." '
         '--point "Other sites give eleven hours between shifts." '
         '--ask "Guarantee eleven hours between shifts from next month."')


def answer(console, line: str, *blank: str) -> str:
    """What the asker alone is shown for one command, with the probed words blanked out."""
    out = console.run(line)
    asker = line.split(":", 1)[0].strip()
    blocks = re.split(r"^(\[[^\]\n]+\])$", out, flags=re.MULTILINE)
    mine = "".join(body for header, body in zip(blocks[1::2], blocks[2::2], strict=True)
                   if header == f"[{asker} · only you]")
    for word in blank:
        mine = re.sub(re.escape(word), "<X>", mine, flags=re.IGNORECASE)
    return mine.strip()


@pytest.fixture
def world(console):
    console.run(SETUP)
    filed = console.run('carol: /grievance ethics --text "The rota leaves no rest." --solve')
    grievance = re.search(r"G-[A-Z0-9]{6}", filed).group(0)
    drafted = console.run(DRAFT)
    petition = re.search(r"P-[A-Z0-9]{4,8}", drafted).group(0)
    console.run('lia: /liaison point ethics "Rest between shifts matters."')
    return {"grievance": grievance, "petition": petition}


def test_inviting_a_member_an_invitee_or_a_stranger_gets_the_same_answer_and_notice(console):
    console.run(SETUP)
    answers = set()
    for who in ("carol", "ivy", "zed"):  # signed (so a member), invited, stranger
        out = console.run(f"alice: /campaign invite ethics @{who}")
        assert "[dm" not in out, "an invitation pings nobody at that moment, whoever it is"
        answers.add(answer(console, f"alice: /campaign invite ethics @{who}", who))
    assert len(answers) == 1, answers
    for who in ("carol", "ivy", "zed"):  # each finds the same invitation in the inbox
        assert "You are invited to the campaign ethics" in console.run(f"{who}: /campaign inbox")


LIAISON_COMMANDS = ["show {n}", "claim {n}", "close {n}", "block {n}", "unblock {n}",
                    'reply {n} "hello"', 'decline {n} "no"', "merge {n} 1"]


@pytest.mark.parametrize("command", LIAISON_COMMANDS)
def test_a_non_liaison_gets_one_answer_for_any_queue_number(console, world, command):
    for asker in ("carol", "mallory"):  # a member of the campaign, and an outsider
        real = answer(console, f"{asker}: /liaison {command.format(n=1)}", "#1")
        none = answer(console, f"{asker}: /liaison {command.format(n=99)}", "#99")
        assert real == none, (asker, real, none)


PRIVATE_COMMANDS = [
    "/campaign info {}", "/campaign join {}", "/campaign leave {}", "/campaign team {} Risk",
    "/campaign points {}", "/threshold {}", "/pledge sign {}", "/pledge status {}",
    "/pledge signers {}", "/pledge withdraw {}", "/pledge connect {}",
    '/grievance {} --text "x" --vent', "/liaison queue {}", "/petition list {}",
    '/liaison point {} "x"', "/campaign invite {} @zed", "/threshold schedule {} monday 10:00",
    "/campaign headcount {} 50",
]


@pytest.mark.parametrize("command", PRIVATE_COMMANDS)
def test_an_outsider_gets_the_same_answer_for_a_private_campaign_as_for_none(
        console, world, command):
    private = answer(console, "mallory: " + command.format("ethics"), "ethics")
    nothing = answer(console, "mallory: " + command.format("nowhere"), "nowhere")
    assert private == nothing


@pytest.mark.parametrize("command", ["show {}", "sign {}", "sponsor {}", "withdraw {}",
                                     "approve {}", 'return {} "no"', "deliver {}"])
def test_an_outsider_gets_the_same_answer_for_a_private_petition_as_for_none(
        console, world, command):
    ref = world["petition"]
    real = answer(console, f"mallory: /petition {command.format(ref)}", ref)
    none = answer(console, f"mallory: /petition {command.format('P-ZZZZ')}", "P-ZZZZ")
    assert real == none


def test_a_talking_point_of_a_private_campaign_is_not_found_like_one_that_does_not_exist(
        console, world):
    real = answer(console, "mallory: /campaign support 1", "#1")
    none = answer(console, "mallory: /campaign support 99", "#99")
    assert real == none and "ethics" not in real


@pytest.mark.parametrize("command", ["status {}", 'reply {} "hello"', "reveal {}"])
def test_someone_else_s_grievance_reference_reads_like_one_that_does_not_exist(
        console, world, command):
    ref = world["grievance"]
    for asker in ("dan", "lia", "alice", "mallory"):
        real = answer(console, f"{asker}: /grievance {command.format(ref)}", ref)
        none = answer(console, f"{asker}: /grievance {command.format('G-ZZZZZZ')}", "G-ZZZZZZ")
        assert real == none, asker
    # …and the campaign's name, which a stranger could not know, is in neither.
    assert "ethics" not in answer(console, f"mallory: /grievance status {ref}")
