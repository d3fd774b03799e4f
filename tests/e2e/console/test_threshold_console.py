"""`/threshold` through the console, as a lead and a member would type it."""

from tests.support import add_supporters, people


def test_a_lead_and_a_member_read_the_threshold_and_the_lead_gets_a_chart_file(app, console):
    console.run("alice: /campaign create ethics --headcount 1000")
    add_supporters(app, "ethics", people("s", 44), team="Payments")
    add_supporters(app, "ethics", people("r", 3), team="Risk")
    add_supporters(app, "ethics", people("d", 2), team="Data")
    out = console.run("""
        s1: /threshold ethics
        :advance 1h
        s1: /threshold ethics
        alice: /threshold ethics
    """)
    before, after = out.split("[clock]")
    assert "No counts are published yet" in before
    assert "Supporters: 49 of a headcount of 1,000 (4.9%)." in after
    assert "Target: 5% of the headcount = 50 people. 1 more person is needed." in after
    assert "• Payments: 44" in after and "• other teams together: 5" in after
    assert "Risk" not in after and "Data" not in after
    [line] = [row for row in after.splitlines() if row.strip().startswith("file:")]
    assert line.strip().endswith(".png") and "ethics" not in line


def test_the_milestone_arrives_as_a_content_free_ping_and_a_weekly_report_follows(app, console):
    console.run("""
        alice: /campaign create ethics --headcount 100
        alice: /threshold schedule ethics monday 12:00
    """)
    add_supporters(app, "ethics", people("s", 5))
    out = console.run(":advance 1h")
    assert "[dm alice]" in out, "the lead's milestone report is role work"
    assert "[dm s2]" not in out, "members learn of it from their inbox, not a ping of their own"
    assert "milestone" not in out, "the ping says nothing but where to look"
    news = console.run("s2: /campaign inbox")
    assert "ethics has reached 5% of its headcount (5 people)" in news
    out = console.run(":advance 3h\nalice: /campaign inbox")
    assert out.count("Your weekly threshold report of ethics") == 1
    assert "Supporters: 5 of a headcount of 100 (5%)." in out


def test_threshold_help_explains_both_commands(console):
    out = console.run("alice: /threshold help\nalice: /threshold schedule help")
    assert "Usage: `/threshold [NAME]`" in out
    assert "Usage: `/threshold schedule NAME DAY [TIME] [--here]`" in out
    assert "HH:MM in the campaign's time zone" in out
