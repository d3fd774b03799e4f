"""A threshold announcement reaches every member's inbox at once, and costs one row whatever the
campaign's size: nobody is pinged at the crossing (who would be pinged, and in what order, would
say who signed how), conditional signers find their cooling-off window, nothing arrives twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bots.output.rendering import Renderer
from campaigns.core.inbox import read_inbox
from campaigns.core.models import Announcement, Notice
from campaigns.core.privacy import Person
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, join_campaign, open_campaign
from campaigns.pledges import signing as pledges

SIGNERS = {"bob": Mode.ANONYMOUS, "dan": Mode.ANONYMOUS, "carol": Mode.NAMED,
           "erin": Mode.CONDITIONAL, "fay": Mode.CONDITIONAL}
ONLOOKERS = ("gus", "hal")


def person(name: str) -> Person:
    return Person("console", "console", name)


def run(app, use_case, *args):
    with app.unit() as uow:
        return use_case(uow, *args)


def inbox(app, who: str) -> str:
    return Renderer("console").render("campaign/inbox.j2", items=run(app, read_inbox, person(who)))


@pytest.fixture
def reached(app, clock, notifier):
    """A campaign of 100 (target 5) whose five signers reach the threshold at the next count."""
    run(app, open_campaign, person("alice"), NewCampaign("ethics", headcount=100))
    run(app, pledges.create_pledge, person("alice"), "ethics", "We stand together.", None)
    for name in ONLOOKERS:
        run(app, join_campaign, person(name), "ethics")
    for name, mode in SIGNERS.items():
        run(app, pledges.sign_pledge, person(name), "ethics", mode)
    notifier.pending.clear()
    clock.advance(timedelta(hours=1))
    app.jobs.run_due(clock.now())
    return notifier.pending


def test_at_the_crossing_only_the_lead_is_pinged_and_every_inbox_shows_the_news_once(app,
                                                                                     reached):
    assert reached == [person("alice")]  # the lead's milestone report: role work
    for name in ("alice", *SIGNERS, *ONLOOKERS):
        text = inbox(app, name)
        assert text.count("stays so, even if people withdraw later") == 1
        assert text.count("has reached 5% of its headcount") == 1
        assert inbox(app, name) == "Nothing is waiting for you."


def test_the_crossing_writes_no_row_per_signer_only_announcements_and_the_leads_report(
        app, reached):
    with app.unit() as uow:
        notices = Counter(uow.session.exec(select(Notice.member_id)).all())
        announcements = uow.session.exec(select(func.count(Announcement.id))).one()
    # The new pledge, then at the crossing the milestone, the pledge, and the cooling-off
    # window that only conditional signers' inboxes show: once each.
    assert announcements == 4
    assert sum(notices.values()) == 1  # alice's lead report, role work


def test_a_conditional_signer_who_withdrew_before_reading_is_not_told_of_a_window(app, reached):
    run(app, pledges.withdraw_from_pledge, person("erin"), "ethics")
    assert "conditionally" not in inbox(app, "erin")
    assert "You signed conditionally" in inbox(app, "fay")


def test_conditional_signers_hear_of_their_cooling_off_and_nobody_else_does(app, reached):
    for name in ("erin", "fay"):
        text = inbox(app, name)
        assert "You signed conditionally" in text and "has reached 5% of its headcount" in text
    for name in ("bob", "carol", "gus"):
        assert "conditionally" not in inbox(app, name)


def test_signers_and_onlookers_read_the_same_announcement(app, reached):
    texts = {name: inbox(app, name) for name in ("bob", "carol", *ONLOOKERS)}
    assert len(set(texts.values())) == 1
    assert all("/pledge status ethics" in text for text in texts.values())


def test_a_second_count_after_the_announcement_leaves_no_further_notice(app, clock, reached):
    def rows():
        with app.unit() as uow:
            return (uow.session.exec(select(func.count(Notice.id))).one(),
                    uow.session.exec(select(func.count(Announcement.id))).one())

    before = rows()
    clock.advance(timedelta(hours=1))
    app.jobs.run_due(clock.now())
    assert rows() == before
