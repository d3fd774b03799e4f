"""The whole life of a petition, typed into the console as members, liaisons and leads would."""

import re
from pathlib import Path

from pypdf import PdfReader

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @lia
    alice: /campaign liaison add ethics @leo
    bob: /campaign join ethics
    carol: /campaign join ethics
    dave: /campaign join ethics
"""
DRAFT = (
    'bob: /petition draft ethics --title "End merchant accounts for nudify apps" '
    '--to "Chief Risk Officer" '
    '--point "Researchers count close to 200 apps that fake an intimate image in minutes." '
    '--point "Our card processing lets paid deepfake creation services take money for it." '
    '--point "Labelling an image fake does not undo the harm, which falls mostly on women." '
    '--ask "End merchant accounts for AI nudification services by the end of the quarter."'
)
SIGNATURES = """
    anna: /petition sign {ref}
    arun: /petition sign {ref}
    nadia: /petition sign {ref} --named
    noor: /petition sign {ref} --named
    cleo: /petition sign {ref} --conditional
    cyrus: /petition sign {ref} --conditional
"""


def said_to(name: str, out: str) -> str:
    """What `name` was shown privately, reply after reply."""
    blocks = re.split(r"^\[", out, flags=re.MULTILINE)
    return "\n".join(b for b in blocks if b.startswith(f"{name} · only you]"))


def open_petition(console) -> str:
    console.run(SETUP)
    ref = re.search(r"Draft (P-[A-Z0-9]+) is saved", console.run(DRAFT)).group(1)
    console.run(f"""
        carol: /petition sponsor {ref}
        dave: /petition sponsor {ref}
        lia: /petition approve {ref}
        leo: /petition approve {ref}
    """)
    return ref


def letter_files(out: str) -> tuple[Path, Path]:
    paths = [Path(p) for p in re.findall(r"file: (\S+)", out)]
    return next(p for p in paths if p.suffix == ".md"), next(p for p in paths if p.suffix == ".pdf")


def test_the_whole_path_ends_in_a_letter_with_the_right_count_and_only_consenting_names(console):
    console.run(SETUP)
    out = console.run(DRAFT)
    assert "Situation–Behavior–Impact" in out
    ref = re.search(r"Draft (P-[A-Z0-9]+) is saved", out).group(1)

    out = console.run(f"""
        carol: /petition sponsor {ref}
        dave: /petition sponsor {ref}
        lia: /petition approve {ref}
        leo: /petition approve {ref}
    """)
    assert "is now with the liaisons" in said_to("dave", out)
    assert "It opens when another liaison approves it too" in said_to("lia", out)
    assert f"{ref} is approved and open for signing" in said_to("leo", out)

    console.run(SIGNATURES.format(ref=ref))
    out = console.run(":advance 1h\n:advance 2m\ncleo: /campaign inbox")
    assert "your name will be shown on it from 2026-11-04 10:00 UTC" in said_to("cleo", out)
    console.run(":advance 48h")

    out = console.run(f"alice: /petition deliver {ref}\nlia: /petition deliver {ref}")
    assert "a second lead or a liaison confirms" in said_to("alice", out)
    assert "is delivered and closed to signing" in said_to("lia", out)
    markdown, pdf = letter_files(out)
    letter = markdown.read_text()
    assert "Signed by 6 employees (15% of the workforce)." in letter
    named = re.findall(r"^- (\w+)$", letter, flags=re.MULTILINE)
    assert named == ["nadia", "noor", "cleo", "cyrus"]
    for silent in ("anna", "arun", "bob", "carol", "dave", "alice", "lia"):
        assert silent not in letter
    assert "End merchant accounts for nudify apps" in PdfReader(pdf).pages[0].extract_text()


def test_conditional_names_are_not_on_a_letter_delivered_during_the_cooling_off(console):
    ref = open_petition(console)
    console.run(SIGNATURES.format(ref=ref))
    console.run(":advance 1h\n:advance 2m\n:advance 47h")
    out = console.run(f"alice: /petition deliver {ref}\nleo: /petition deliver {ref}")
    letter = letter_files(out)[0].read_text()
    assert re.findall(r"^- (\w+)$", letter, flags=re.MULTILINE) == ["nadia", "noor"]
    assert "Signed by 6 employees" in letter


def test_a_conditional_signer_who_withdraws_in_the_window_is_never_named(console):
    ref = open_petition(console)
    console.run(SIGNATURES.format(ref=ref))
    out = console.run(f":advance 1h\n:advance 2m\ncyrus: /petition withdraw {ref}\n:advance 48h")
    assert "is withdrawn" in said_to("cyrus", out)
    out = console.run(f"alice: /petition deliver {ref}\nlia: /petition deliver {ref}")
    letter = letter_files(out)[0].read_text()
    assert "cyrus" not in letter and "- cleo" in letter
    assert "Signed by 5 employees" in letter


def test_a_lead_alone_cannot_deliver_and_signers_can_withdraw_until_delivery(console):
    ref = open_petition(console)
    out = console.run(f"""
        anna: /petition sign {ref}
        anna: /petition withdraw {ref}
        anna: /petition sign {ref} --named
        alice: /petition deliver {ref}
        alice: /petition deliver {ref}
    """)
    assert "is withdrawn" in said_to("anna", out)
    assert "You already asked for" in said_to("alice", out)
    assert "file:" not in out
    out = console.run(f"""
        lia: /petition deliver {ref}
        anna: /petition withdraw {ref}
        arun: /petition sign {ref}
    """)
    assert "has been delivered and is closed" in said_to("anna", out)
    assert "has been delivered and is closed" in said_to("arun", out)


def test_a_refused_draft_names_each_broken_rule_and_help_lists_every_petition_command(console):
    console.run(SETUP)
    out = console.run('bob: /petition draft ethics --title "Pay" --to "CFO" --point "One" '
                      '--point "Two"')
    assert "a petition has exactly three talking points; you gave two" in out
    assert "a petition has exactly one ask" in out
    assert "Nothing was stored" in out
    out = console.run("bob: /petition list ethics\nbob: /petition help")
    assert "no petitions you can see yet" in out
    for sub in ("draft", "sponsor", "approve", "return", "sign", "withdraw", "deliver", "list",
                "show"):
        assert f"/petition {sub}" in out
