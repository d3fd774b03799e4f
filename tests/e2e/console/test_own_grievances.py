"""`/grievance status` without a reference: the asker's own grievances, and nobody else's."""

import re


def test_without_a_reference_an_author_sees_only_their_own_items_and_replies(console):
    console.run("""
        maya: /campaign create ethics --headcount 40
        maya: /campaign liaison add ethics @jon
        ana: /campaign join ethics
        sam: /campaign join ethics
        ana: /grievance ethics --solve --text "The rota leaves no rest."
        sam: /grievance ethics --vent --text "Nobody asked us about the rota."
        :advance 1h
        jon: /liaison reply 1 Which weeks were the worst?
    """)
    ana, sam, jon = (console.run(f"{who}: /grievance status") for who in ("ana", "sam", "jon"))

    assert "The rota leaves no rest." in ana and "Which weeks were the worst?" in ana
    assert "Nobody asked us" not in ana
    assert "Nobody asked us" in sam and "The rota leaves" not in sam
    assert len(set(re.findall(r"G-[A-Z0-9]{6}", ana + sam))) == 2
    assert "You have filed no grievance" in jon
