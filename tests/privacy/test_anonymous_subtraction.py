"""Attack: a named signer leaves the list; does the rest of the page say they still signed?

Two campaigns set up alike run side by side: in one the signer switches to
anonymous, in the other they withdraw, in a third they leave the campaign. Until
the next snapshot the attacker's reads are the same in all three.
"""

from tests.privacy.attacker import read

SETUP = """
    alice: /campaign create {name} --headcount 400
    alice: /pledge create {name} --text "We will not build payment rails for nudify apps."
    dan: /pledge sign {name} --named
    xena: /pledge sign {name} --named
    frank: /pledge sign {name}
"""
WORLDS = {"ethics-a": "/pledge sign ethics-a", "ethics-b": "/pledge withdraw ethics-b",
          "ethics-c": "/campaign leave ethics-c"}


def _attacker_view(console, name: str) -> str:
    seen = "".join(read(console, "dan", command.format(name=name)) for command in (
        "/pledge signers {name}", "/pledge status {name}", "/threshold {name}",
        "/campaign info {name}"))
    return seen.replace(name, "NAME")


def test_going_anonymous_withdrawing_and_leaving_look_alike_until_the_next_snapshot(console):
    for name in WORLDS:
        console.run(SETUP.format(name=name))
    console.run(":advance 1h")
    before = {name: _attacker_view(console, name) for name in WORLDS}
    assert all("• xena" in seen for seen in before.values())
    for command in WORLDS.values():
        console.run(f"xena: {command}")
    after = {name: _attacker_view(console, name) for name in WORLDS}
    assert after["ethics-a"] == after["ethics-b"] == after["ethics-c"]
    assert "xena" not in after["ethics-a"]


def test_removing_ones_name_says_plainly_what_the_next_count_will_show(console):
    console.run(SETUP.format(name="ethics") + ":advance 1h")
    reply = read(console, "xena", "/pledge sign ethics")
    assert "off the list of names now" in reply
    assert "next published count" in reply and "still count" in reply
    withdrawn = read(console, "dan", "/pledge withdraw ethics")
    assert "off the list of names now" in withdrawn
