"""Dashboard links and sessions: for leads and liaisons only, once, briefly, stored hashed."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from campaigns.core.errors import DashboardRefused, DashboardSessionEnded, LinkUnusable
from campaigns.membership.dashboard import (
    dashboard_viewer,
    end_dashboard_session,
    issue_dashboard_link,
    open_dashboard_link,
)
from campaigns.membership.models import DashboardLink, DashboardSession
from tests.support import advance, ask, person, run

SETUP = """
    maya: /campaign create ethics --headcount 40
    maya: /campaign liaison add ethics @jon
    sam: /campaign join ethics
    maya: /campaign create other --headcount 40
"""


@pytest.fixture
def campaign(console):
    console.run(SETUP)


def _session_for(app, who: str, name: str = "ethics") -> str:
    link = run(app, issue_dashboard_link, person(who), name)
    return run(app, open_dashboard_link, link.token).token


def test_leads_and_liaisons_get_a_link_that_names_the_campaign(app, campaign):
    for who in ("maya", "jon"):
        text, _ = ask(app, who, "/campaign dashboard ethics")
        assert "/open/" in text and "opens once, within 10 minutes" in text


def test_a_member_a_stranger_and_a_missing_campaign_get_the_same_refusal(app, campaign):
    member, _ = ask(app, "sam", "/campaign dashboard ethics")
    stranger, _ = ask(app, "zoe", "/campaign dashboard ethics")
    missing, _ = ask(app, "zoe", "/campaign dashboard nosuch")
    assert "/open/" not in member
    assert member == stranger
    assert missing == stranger.replace("ethics", "nosuch")


def test_an_archived_campaign_refuses_its_former_lead_like_a_stranger(app, console, campaign):
    console.run("maya: /campaign archive other --confirm")
    archived, _ = ask(app, "maya", "/campaign dashboard other")
    stranger, _ = ask(app, "zoe", "/campaign dashboard other")
    assert archived == stranger


def test_a_link_opens_once(app, campaign):
    link = run(app, issue_dashboard_link, person("maya"), "ethics")
    opened = run(app, open_dashboard_link, link.token)
    assert opened.campaign == "ethics" and opened.token != link.token
    with pytest.raises(LinkUnusable) as again:
        run(app, open_dashboard_link, link.token)
    assert again.value.params["reason"] == "used"


def test_a_link_expires_after_ten_minutes(app, clock, campaign):
    link = run(app, issue_dashboard_link, person("maya"), "ethics")
    advance(app, clock, timedelta(minutes=10, seconds=1))
    with pytest.raises(LinkUnusable) as late:
        run(app, open_dashboard_link, link.token)
    assert late.value.params["reason"] == "expired"


def test_an_unknown_link_says_so(app, campaign):
    with pytest.raises(LinkUnusable) as unknown:
        run(app, open_dashboard_link, "not-a-token")
    assert unknown.value.params["reason"] == "unknown"


def test_neither_the_link_nor_the_session_token_is_stored(app, campaign):
    link = run(app, issue_dashboard_link, person("maya"), "ethics")
    session = run(app, open_dashboard_link, link.token).token
    with Session(app.engine) as db:
        stored = [row.token_ref for row in db.exec(select(DashboardLink))]
        stored += [row.session_ref for row in db.exec(select(DashboardSession))]
    assert stored and link.token not in stored and session not in stored
    assert all(len(ref) == 64 for ref in stored)


def test_a_session_opens_its_own_campaign_and_no_other(app, campaign):
    session = _session_for(app, "maya")
    viewer = run(app, dashboard_viewer, session, "ethics")
    assert viewer.campaign.name == "ethics" and viewer.role == "lead"
    with pytest.raises(DashboardRefused) as other:
        run(app, dashboard_viewer, session, "other")
    with pytest.raises(DashboardRefused) as missing:
        run(app, dashboard_viewer, session, "nosuch")
    assert other.value.params == missing.value.params


def test_a_session_lasts_an_hour(app, clock, campaign):
    session = _session_for(app, "maya")
    advance(app, clock, timedelta(minutes=59))
    run(app, dashboard_viewer, session, "ethics")
    advance(app, clock, timedelta(minutes=2))
    with pytest.raises(DashboardSessionEnded):
        run(app, dashboard_viewer, session, "ethics")


def test_a_session_ends_when_the_liaison_role_ends(app, console, campaign):
    session = _session_for(app, "jon")
    run(app, dashboard_viewer, session, "ethics")
    console.run("maya: /campaign liaison remove ethics @jon")
    with pytest.raises(DashboardSessionEnded):
        run(app, dashboard_viewer, session, "ethics")
    with Session(app.engine) as db:
        assert db.exec(select(DashboardSession)).all() == []


def test_archiving_deletes_the_campaigns_links_and_sessions(app, console, campaign):
    _session_for(app, "maya")
    run(app, issue_dashboard_link, person("maya"), "ethics")
    console.run("maya: /campaign archive ethics --confirm")
    with Session(app.engine) as db:
        assert db.exec(select(DashboardSession)).all() == []
        assert db.exec(select(DashboardLink)).all() == []


def test_a_link_made_before_the_role_ended_opens_nothing(app, console, campaign):
    link = run(app, issue_dashboard_link, person("jon"), "ethics")
    console.run("maya: /campaign liaison remove ethics @jon")
    with pytest.raises(LinkUnusable) as ended:
        run(app, open_dashboard_link, link.token)
    assert ended.value.params["reason"] == "ended"


def test_signing_out_ends_the_session(app, campaign):
    session = _session_for(app, "maya")
    run(app, end_dashboard_session, session)
    with pytest.raises(DashboardSessionEnded):
        run(app, dashboard_viewer, session, "ethics")
