"""Grievance use cases on a real database: anonymity toward liaisons, refusals that store nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from campaigns.core import inbox
from campaigns.core.access import find_campaign, vault_of
from campaigns.core.errors import (
    AlreadyClaimed,
    GrievanceBlocked,
    GrievanceLimit,
    ItemFinished,
    NotAllowed,
    NotFound,
    TagNeeded,
    TextMissing,
    TextTooLong,
)
from campaigns.core.privacy import Person
from campaigns.grievances import filing as grievances
from campaigns.grievances import queue as liaison_queue
from campaigns.grievances.filing import Filed, Warned
from campaigns.grievances.models import Grievance
from campaigns.membership import roles
from campaigns.membership.joining import NewCampaign, join_campaign, leave_campaign, open_campaign
from tests.support import renderer

LEAD = Person("slack", "T0ACME", "U0LEAD01")
LIAISON = Person("slack", "T0ACME", "U0LIAIS1")
OTHER_LIAISON = Person("slack", "T0ACME", "U0LIAIS2")
AUTHOR = Person("slack", "T0ACME", "U0CAROL42")
MEMBER = Person("slack", "T0ACME", "U0DAN0007")
ROTA = "The on-call rota leaves no rest between night shifts."


def run(domain, use_case, *args, **kwargs):
    with domain.unit() as uow:
        return use_case(uow, *args, **kwargs)


@pytest.fixture
def ethics(domain):
    run(domain, open_campaign, LEAD, NewCampaign(name="ethics", headcount=40))
    run(domain, roles.add_liaison, LEAD, "ethics", LIAISON)
    run(domain, roles.add_liaison, LEAD, "ethics", OTHER_LIAISON)
    run(domain, join_campaign, AUTHOR, "ethics")
    run(domain, join_campaign, MEMBER, "ethics")
    return "ethics"


def file(domain, person=AUTHOR, text=ROTA, tag="solve", **kwargs):
    return run(domain, grievances.file_grievance, person, "ethics", text, tag, **kwargs)


def stored(domain) -> int:
    with domain.unit() as uow:
        return len(uow.session.exec(select(Grievance)).all())


def author_traces(domain) -> list[str]:
    with domain.unit() as uow:
        campaign = find_campaign(uow, AUTHOR, "ethics")
        ref = vault_of(uow, campaign).member_ref(AUTHOR)
    return [AUTHOR.user, AUTHOR.identity, ref]


def test_every_liaison_facing_message_is_free_of_the_authors_name_id_and_pseudonym(domain, ethics):
    filed = file(domain)
    file(domain, text="The night shift has no quiet room.", tag="vent")
    run(domain, liaison_queue.reply_to_author, LIAISON, 1, "Which weeks were worst?")
    run(domain, grievances.answer_liaisons, AUTHOR, filed.ref, "Every week since the reorg.")
    outputs = []
    for platform in ("slack", "discord", "console"):
        shown = renderer(platform)
        outputs += [
            shown.render("liaison/queue.j2", q=run(domain, liaison_queue.view_queue, LIAISON,
                                                      "ethics")),
            shown.render("liaison/item.j2", v=run(domain, liaison_queue.show_item, LIAISON, 1)),
        ]
    outputs.append(renderer("slack").render(
        "liaison/handled.j2", h=run(domain, liaison_queue.set_author_blocked, LIAISON, 1, True)))
    outputs.append(renderer("slack").render(
        "liaison/handled.j2", h=run(domain, liaison_queue.close_item, LIAISON, 1)))
    outputs.append(renderer("slack").render(
        "campaign/inbox.j2", items=run(domain, inbox.read_inbox, LIAISON)))
    everything = "\n".join(outputs)
    assert "Every week since the reorg." in everything and ROTA in everything
    assert "The author of item #1 in the queue of `ethics` answered" in everything
    for trace in author_traces(domain) + [filed.ref]:
        assert trace not in everything


def test_a_grievance_with_warnings_is_not_stored_until_sent_anyway(domain, ethics):
    risky = "My manager Dave Miller is an idiot."
    warned = file(domain, text=risky)
    assert isinstance(warned, Warned) and stored(domain) == 0
    sent = file(domain, text=risky, send_anyway=True)
    assert isinstance(sent, Filed) and stored(domain) == 1


@pytest.mark.parametrize(("text", "tag", "error"), [
    ("", "solve", TextMissing),
    ("x" * 2001, "solve", TextTooLong),
    (ROTA, None, TagNeeded),
])
def test_a_refused_grievance_stores_nothing(domain, ethics, text, tag, error):
    with pytest.raises(error):
        file(domain, text=text, tag=tag)
    assert stored(domain) == 0


def test_a_grievance_of_exactly_2000_characters_is_accepted(domain, ethics):
    assert isinstance(file(domain, text="a " * 1000), Filed)


def test_the_sixth_grievance_in_a_rolling_day_names_when_filing_opens_again(domain, ethics, clock):
    start = clock.now()
    for hour in range(5):
        file(domain, text=f"Issue {hour} with the rota.")
        clock.advance(timedelta(hours=1))
    with pytest.raises(GrievanceLimit) as refused:
        file(domain)
    assert refused.value.params["until"] == start + timedelta(days=1)
    assert stored(domain) == 5
    assert isinstance(file(domain, person=MEMBER), Filed), "the limit is per author"


def test_a_reference_works_only_for_its_author(domain, ethics):
    ref = file(domain).ref
    for stranger in (MEMBER, LIAISON, LEAD, Person("slack", "T0OTHER", AUTHOR.user)):
        with pytest.raises(NotFound):
            run(domain, grievances.grievance_status, stranger, ref)
    assert run(domain, grievances.grievance_status, AUTHOR, ref.lower().removeprefix("g-")).text == ROTA


def test_blocking_answers_the_same_whether_or_not_the_author_was_already_blocked(domain, ethics):
    file(domain)
    file(domain, text="The night shift has no quiet room.")
    file(domain, person=MEMBER)
    answers = [run(domain, liaison_queue.set_author_blocked, LIAISON, item, True)
               for item in (1, 2, 3)]
    rendered = [renderer("console").render("liaison/handled.j2", h=a).replace(str(a.item), "N")
                for a in answers]
    assert rendered[0] == rendered[1] == rendered[2]
    with pytest.raises(GrievanceBlocked):
        file(domain)
    run(domain, liaison_queue.set_author_blocked, OTHER_LIAISON, 2, False)
    assert isinstance(file(domain), Filed)


def test_an_item_claimed_by_one_liaison_is_refused_to_another_until_they_step_down(domain, ethics):
    file(domain)
    run(domain, liaison_queue.claim_item, LIAISON, 1)
    with pytest.raises(AlreadyClaimed):
        run(domain, liaison_queue.claim_item, OTHER_LIAISON, 1)
    run(domain, roles.remove_liaison, LEAD, "ethics", LIAISON)
    taken = run(domain, liaison_queue.claim_item, OTHER_LIAISON, 1)
    assert taken.status == "claimed"
    view = run(domain, liaison_queue.show_item, OTHER_LIAISON, 1)
    assert view.item.claimed == "you"


def test_leads_and_members_cannot_act_on_queue_items(domain, ethics):
    file(domain)
    for person in (LEAD, MEMBER, AUTHOR):
        with pytest.raises(NotAllowed):
            run(domain, liaison_queue.reply_to_author, person, 1, "hello")
    with pytest.raises(NotFound):
        run(domain, liaison_queue.show_item, Person("slack", "T0OTHER", LIAISON.user), 1)


def test_a_declined_item_tells_its_author_why_and_takes_no_more_messages(domain, ethics):
    ref = file(domain).ref
    run(domain, liaison_queue.decline_item, LIAISON, 1, "This is for HR, not the campaign.")
    view = run(domain, grievances.grievance_status, AUTHOR, ref)
    assert view.status == "declined"
    assert [(m.speaker, m.text, m.declined) for m in view.thread] == [
        ("liaisons", "This is for HR, not the campaign.", True)]
    with pytest.raises(ItemFinished):
        run(domain, grievances.answer_liaisons, AUTHOR, ref, "But it is shared by many.")
    with pytest.raises(ItemFinished):
        run(domain, liaison_queue.reply_to_author, LIAISON, 1, "One more thing")
    assert run(domain, liaison_queue.view_queue, LIAISON, "ethics").items == []


def test_an_author_who_leaves_leaves_the_item_in_the_queue_but_cannot_be_reached(domain, ethics):
    file(domain)
    run(domain, leave_campaign, AUTHOR, "ethics")
    queue = run(domain, liaison_queue.view_queue, LIAISON, "ethics")
    assert [item.text for item in queue.items] == [ROTA]
    assert run(domain, liaison_queue.reply_to_author, LIAISON, 1, "Still there?").reached is False


def test_the_queue_filters_by_tag_and_lists_oldest_first(domain, ethics, clock):
    file(domain, text="first solve")
    clock.advance(timedelta(days=2))
    file(domain, text="a vent", tag="vent")
    file(domain, text="second solve")
    solve = run(domain, liaison_queue.view_queue, LIAISON, "ethics", "solve")
    assert [(i.text, i.age_days) for i in solve.items] == [("first solve", 2), ("second solve", 0)]
    vent = run(domain, liaison_queue.view_queue, LIAISON, "ethics", "vent")
    assert [i.text for i in vent.items] == ["a vent"]
