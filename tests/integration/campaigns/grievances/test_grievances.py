"""Grievance use cases on a real database: anonymity toward liaisons, refusals that store nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bots.output.rendering import Renderer
from campaigns.core import inbox
from campaigns.core.access import find_campaign, vault_of
from campaigns.core.errors import (
    AlreadyClaimed,
    GrievanceBlocked,
    GrievanceLimit,
    ItemFinished,
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
from tests.support import publish

LEAD = Person("slack", "T0ACME", "U0LEAD01")
LIAISON = Person("slack", "T0ACME", "U0LIAIS1")
OTHER_LIAISON = Person("slack", "T0ACME", "U0LIAIS2")
AUTHOR = Person("slack", "T0ACME", "U0CAROL42")
MEMBER = Person("slack", "T0ACME", "U0DAN0007")
ROTA = "The on-call rota leaves no rest between night shifts."


def run(app, use_case, *args, **kwargs):
    with app.unit() as uow:
        return use_case(uow, *args, **kwargs)


@pytest.fixture
def ethics(app):
    run(app, open_campaign, LEAD, NewCampaign(name="ethics", headcount=40))
    run(app, roles.add_liaison, LEAD, "ethics", LIAISON)
    run(app, roles.add_liaison, LEAD, "ethics", OTHER_LIAISON)
    run(app, join_campaign, AUTHOR, "ethics")
    run(app, join_campaign, MEMBER, "ethics")
    return "ethics"


def file(app, person=AUTHOR, text=ROTA, tag="solve", **kwargs):
    return run(app, grievances.file_grievance, person, "ethics", text, tag, **kwargs)


def stored(app) -> int:
    with app.unit() as uow:
        return len(uow.session.exec(select(Grievance)).all())


def author_traces(app) -> list[str]:
    with app.unit() as uow:
        campaign = find_campaign(uow, AUTHOR, "ethics")
        ref = vault_of(uow, campaign).member_ref(AUTHOR)
    return [AUTHOR.user, AUTHOR.identity, ref]


def test_every_liaison_facing_message_is_free_of_the_authors_name_id_and_pseudonym(app, ethics, clock):
    filed = file(app)
    file(app, text="The night shift has no quiet room.", tag="vent")
    publish(app, clock)
    run(app, liaison_queue.reply_to_author, LIAISON, 1, "Which weeks were worst?")
    run(app, grievances.answer_liaisons, AUTHOR, filed.ref, "Every week since the reorg.")
    publish(app, clock)
    outputs = []
    for platform in ("slack", "discord", "console"):
        renderer = Renderer(platform)
        outputs += [
            renderer.render("liaison/queue.j2", q=run(app, liaison_queue.view_queue, LIAISON,
                                                      "ethics")),
            renderer.render("liaison/item.j2", v=run(app, liaison_queue.show_item, LIAISON, 1)),
        ]
    outputs.append(Renderer("slack").render(
        "liaison/handled.j2", h=run(app, liaison_queue.set_author_blocked, LIAISON, 1, True)))
    outputs.append(Renderer("slack").render(
        "liaison/handled.j2", h=run(app, liaison_queue.close_item, LIAISON, 1)))
    outputs.append(Renderer("slack").render(
        "campaign/inbox.j2", items=run(app, inbox.read_inbox, LIAISON)))
    everything = "\n".join(outputs)
    assert "Every week since the reorg." in everything and ROTA in everything
    assert "The author of item #1 in the queue of `ethics` answered" in everything
    for trace in author_traces(app) + [filed.ref]:
        assert trace not in everything


def test_a_grievance_with_warnings_is_not_stored_until_sent_anyway(app, ethics):
    risky = "My manager Dave Miller is an idiot."
    warned = file(app, text=risky)
    assert isinstance(warned, Warned) and stored(app) == 0
    sent = file(app, text=risky, send_anyway=True)
    assert isinstance(sent, Filed) and stored(app) == 1


@pytest.mark.parametrize(("text", "tag", "error"), [
    ("", "solve", TextMissing),
    ("x" * 2001, "solve", TextTooLong),
    (ROTA, None, TagNeeded),
])
def test_a_refused_grievance_stores_nothing(app, ethics, text, tag, error):
    with pytest.raises(error):
        file(app, text=text, tag=tag)
    assert stored(app) == 0


def test_a_grievance_of_exactly_2000_characters_is_accepted(app, ethics):
    assert isinstance(file(app, text="a " * 1000), Filed)


def test_the_sixth_grievance_in_a_day_names_the_next_day_for_filing_again(app, ethics, clock):
    start = clock.now().replace(hour=0)
    for hour in range(5):
        file(app, text=f"Issue {hour} with the rota.")
        clock.advance(timedelta(hours=1))
    with pytest.raises(GrievanceLimit) as refused:
        file(app)
    assert refused.value.params["until"] == start + timedelta(days=1)
    assert stored(app) == 5
    assert isinstance(file(app, person=MEMBER), Filed), "the limit is per author"


def test_a_reference_works_only_for_its_author(app, ethics):
    ref = file(app).ref
    for stranger in (MEMBER, LIAISON, LEAD, Person("slack", "T0OTHER", AUTHOR.user)):
        with pytest.raises(NotFound):
            run(app, grievances.grievance_status, stranger, ref)
    assert run(app, grievances.grievance_status, AUTHOR, ref.lower().removeprefix("g-")).text == ROTA


def test_blocking_answers_the_same_whether_or_not_the_author_was_already_blocked(app, ethics, clock):
    file(app)
    file(app, text="The night shift has no quiet room.")
    file(app, person=MEMBER)
    publish(app, clock)
    answers = [run(app, liaison_queue.set_author_blocked, LIAISON, item, True)
               for item in (1, 2, 3)]
    rendered = [Renderer("console").render("liaison/handled.j2", h=a).replace(str(a.item), "N")
                for a in answers]
    assert rendered[0] == rendered[1] == rendered[2]
    with pytest.raises(GrievanceBlocked):
        file(app)
    run(app, liaison_queue.set_author_blocked, OTHER_LIAISON, 2, False)
    assert isinstance(file(app), Filed)


def test_an_item_claimed_by_one_liaison_is_refused_to_another_until_they_step_down(app, ethics, clock):
    file(app)
    publish(app, clock)
    run(app, liaison_queue.claim_item, LIAISON, 1)
    with pytest.raises(AlreadyClaimed):
        run(app, liaison_queue.claim_item, OTHER_LIAISON, 1)
    run(app, roles.remove_liaison, LEAD, "ethics", LIAISON)
    taken = run(app, liaison_queue.claim_item, OTHER_LIAISON, 1)
    assert taken.status == "claimed"
    view = run(app, liaison_queue.show_item, OTHER_LIAISON, 1)
    assert view.item.claimed == "you"


def test_leads_and_members_cannot_act_on_queue_items_nor_tell_that_they_exist(app, ethics, clock):
    file(app)
    publish(app, clock)
    for person in (LEAD, MEMBER, AUTHOR):
        with pytest.raises(NotFound):
            run(app, liaison_queue.reply_to_author, person, 1, "hello")
    with pytest.raises(NotFound):
        run(app, liaison_queue.show_item, Person("slack", "T0OTHER", LIAISON.user), 1)


def test_a_declined_item_tells_its_author_why_and_takes_no_more_messages(app, ethics, clock):
    ref = file(app).ref
    publish(app, clock)
    run(app, liaison_queue.decline_item, LIAISON, 1, "This is for HR, not the campaign.")
    view = run(app, grievances.grievance_status, AUTHOR, ref)
    assert view.status == "declined"
    assert [(m.speaker, m.text, m.declined) for m in view.thread] == [
        ("liaisons", "This is for HR, not the campaign.", True)]
    with pytest.raises(ItemFinished):
        run(app, grievances.answer_liaisons, AUTHOR, ref, "But it is shared by many.")
    with pytest.raises(ItemFinished):
        run(app, liaison_queue.reply_to_author, LIAISON, 1, "One more thing")
    assert run(app, liaison_queue.view_queue, LIAISON, "ethics").items == []


def test_an_author_who_leaves_leaves_the_item_in_the_queue_but_cannot_be_reached(app, ethics, clock):
    file(app)
    publish(app, clock)
    run(app, leave_campaign, AUTHOR, "ethics")
    queue = run(app, liaison_queue.view_queue, LIAISON, "ethics")
    assert [item.text for item in queue.items] == [ROTA]
    assert run(app, liaison_queue.reply_to_author, LIAISON, 1, "Still there?").reached is False


def test_the_queue_filters_by_tag_and_lists_oldest_first(app, ethics, clock):
    file(app, text="first solve")
    clock.advance(timedelta(days=2))
    file(app, text="a vent", tag="vent")
    file(app, text="second solve")
    publish(app, clock)
    solve = run(app, liaison_queue.view_queue, LIAISON, "ethics", "solve")
    assert [(i.text, i.age_days) for i in solve.items] == [("first solve", 2), ("second solve", 0)]
    vent = run(app, liaison_queue.view_queue, LIAISON, "ethics", "vent")
    assert [i.text for i in vent.items] == ["a vent"]
