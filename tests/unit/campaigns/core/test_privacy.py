"""Pseudonyms and sealed text: unlinkable across campaigns, unreadable without the key."""

import os
import stat

import pytest

from campaigns.core.errors import CampaignArchived, KeyFileProblem, Unreadable
from campaigns.core.privacy import MasterKey, Person, load_master_key

ALICE = Person("slack", "T1", "U123ALICE")


def test_the_same_person_has_different_refs_in_different_campaigns():
    master = MasterKey(os.urandom(32))
    one = master.vault(master.new_wrapped_campaign_key())
    two = master.vault(master.new_wrapped_campaign_key())
    assert one.member_ref(ALICE) == one.member_ref(ALICE)
    assert one.member_ref(ALICE) != two.member_ref(ALICE)
    assert "U123ALICE" not in one.member_ref(ALICE)


def test_sealed_text_opens_only_for_the_same_campaign_column_and_row():
    master = MasterKey(os.urandom(32))
    wrapped = master.new_wrapped_campaign_key()
    vault = master.vault(wrapped, 1)
    blob = vault.seal("the rota leaves no rest", "grievance.text", "G-ABCDEF")
    assert b"rota" not in blob
    assert vault.open(blob, "grievance.text", "G-ABCDEF") == "the rota leaves no rest"
    with pytest.raises(Unreadable):
        vault.open(blob, "campaign.title", "G-ABCDEF")
    with pytest.raises(Unreadable):
        vault.open(blob, "grievance.text", "G-OTHER1")
    with pytest.raises(Unreadable):
        master.vault(wrapped, 2).open(blob, "grievance.text", "G-ABCDEF")
    other = master.vault(master.new_wrapped_campaign_key(), 1)
    with pytest.raises(Unreadable):
        other.open(blob, "grievance.text", "G-ABCDEF")


def test_a_control_mac_holds_only_for_the_values_it_was_made_over():
    master = MasterKey(os.urandom(32))
    vault = master.vault(master.new_wrapped_campaign_key(), 1)
    tag = vault.mac("grievance.reveal", "G-ABCDEF", "ref-of-author")
    assert vault.verify(tag, "grievance.reveal", "G-ABCDEF", "ref-of-author")
    assert not vault.verify(tag, "grievance.reveal", "G-ABCDEF", "ref-of-someone-else")
    assert not vault.verify(tag, "grievance.reveal", "G-OTHER1", "ref-of-author")
    assert not vault.verify(None, "grievance.reveal", "G-ABCDEF", "ref-of-author")


def test_a_destroyed_campaign_key_leaves_nothing_to_open_with():
    master = MasterKey(os.urandom(32))
    with pytest.raises(CampaignArchived):
        master.vault(None)


def test_a_key_file_is_created_private_when_nothing_depends_on_it(tmp_path):
    path = tmp_path / "concerted.key"
    key = load_master_key(path, database_has_data=False, stored_check=None)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_master_key(path, database_has_data=True, stored_check=key.check)
    assert again.check == key.check


def test_a_missing_key_is_never_replaced_when_the_database_holds_campaigns(tmp_path):
    with pytest.raises(KeyFileProblem) as refused:
        load_master_key(tmp_path / "gone.key", database_has_data=True, stored_check="abc")
    assert refused.value.params["reason"] == "missing"
    assert not (tmp_path / "gone.key").exists()


def test_a_different_key_is_refused(tmp_path):
    path = tmp_path / "concerted.key"
    load_master_key(path, database_has_data=False, stored_check=None)
    with pytest.raises(KeyFileProblem) as refused:
        load_master_key(path, database_has_data=True, stored_check="0" * 64)
    assert refused.value.params["reason"] == "wrong"
