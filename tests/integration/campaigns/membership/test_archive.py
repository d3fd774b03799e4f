"""Archiving destroys a campaign's key at once; its counts survive, its rows are unreadable."""

import pytest
from sqlmodel import Session, select

from campaigns.core.errors import CampaignArchived, Unreadable
from campaigns.core.models import Campaign, Member, Snapshot, Team
from campaigns.core.privacy import load_master_key


def test_after_archive_sealed_rows_cannot_be_opened_even_with_the_master_key(console, app, settings):
    console.run("""
        alice: /campaign create ethics --headcount 40 --title "Stop serving nudify apps"
        bob: /campaign join ethics
        bob: /campaign team ethics risk
        :advance 61m
    """)
    with Session(app.engine) as session:
        campaign = session.exec(select(Campaign)).one()
        sealed_title = campaign.title_sealed
        wrapped = campaign.wrapped_key
        vault = app.keys.vault(wrapped, campaign.id)
        assert vault.open(sealed_title, "campaign.title", "") == "Stop serving nudify apps"

    out = console.run("alice: /campaign archive ethics --confirm\n")
    assert "is archived" in out

    master = load_master_key(settings.key_file, database_has_data=True, stored_check=app.keys.check)
    with Session(app.engine) as session:
        campaign = session.exec(select(Campaign)).one()
        assert campaign.wrapped_key is None and campaign.title_sealed is None
        with pytest.raises(CampaignArchived):
            master.vault(campaign.wrapped_key)
        # No other key in the database opens what the campaign sealed.
        for other in session.exec(select(Campaign).where(Campaign.wrapped_key.is_not(None))):
            with pytest.raises(Unreadable):
                master.vault(other.wrapped_key, other.id).open(sealed_title, "campaign.title", "")
        assert session.exec(select(Member)).all() == []
        assert session.exec(select(Team)).all() == []
        snapshots = session.exec(select(Snapshot)).all()
        assert [s.headcount for s in snapshots] == [40]
        assert [s.members for s in snapshots] == [2]


def test_an_archived_campaign_answers_that_it_is_archived(console):
    out = console.run("""
        alice: /campaign create ethics
        alice: /campaign archive ethics --confirm
        alice: /campaign join ethics
    """)
    assert "has been archived" in out
