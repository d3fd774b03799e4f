"""Petition use cases on a real database: drafting, sponsors, liaison review, signing, delivery."""

from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from bots.output.letters import letter_writer
from bots.runtime.jobs import publish_counts
from campaigns.core import inbox
from campaigns.core.errors import (
    DeliveryNeedsTwo,
    NotAllowed,
    NotFound,
    NotSigned,
    OwnPetition,
    PetitionRefused,
    PetitionWrongStage,
    ReasonNeeded,
)
from campaigns.core.models import Notice, Signature
from campaigns.core.privacy import Person
from campaigns.core.signatures import Mode
from campaigns.grievances import points
from campaigns.membership import roles
from campaigns.membership.joining import NewCampaign, join_campaign, leave_campaign, open_campaign
from petitions import delivery, drafting, listing, review, signing
from petitions.drafting import NewPetition
from petitions.models import Petition, Stage
from tests.scans import leaks, stored_bytes
from tests.support import publish

WS = "T0ACME"
LEAD = Person("slack", WS, "U0LEAD01")
SECOND_LEAD = Person("slack", WS, "U0LEAD02")
LIAISON = Person("slack", WS, "U0LIAIS1")
OTHER_LIAISON = Person("slack", WS, "U0LIAIS2")
AUTHOR = Person("slack", WS, "U0AUTHOR")
SPONSOR_A = Person("slack", WS, "U0SPONSA")
SPONSOR_B = Person("slack", WS, "U0SPONSB")
SIGNERS = [Person("slack", WS, f"U0SIGN{n:02d}") for n in range(8)]
TITLE = "End merchant accounts for nudify apps"
POINTS = (
    "Researchers count close to 200 apps that turn a photo into a fake intimate image.",
    "Our card processing lets paid deepfake creation services take money for it.",
    "Labelling an image fake does not undo the harm, which falls mostly on women.",
)
ASK = "End merchant accounts for AI nudification services by the end of the quarter."
GOOD = NewPetition(title=TITLE, addressee="Chief Risk Officer", points=POINTS, ask=ASK)


def run(app, use_case, *args, **kwargs):
    with app.unit() as uow:
        return use_case(uow, *args, **kwargs)


def user(person: Person) -> str:
    return person.user


@pytest.fixture
def ethics(app):
    run(app, open_campaign, LEAD, NewCampaign(name="ethics", headcount=40))
    run(app, roles.add_lead, LEAD, "ethics", SECOND_LEAD)
    run(app, roles.add_liaison, LEAD, "ethics", LIAISON)
    run(app, roles.add_liaison, LEAD, "ethics", OTHER_LIAISON)
    for person in (AUTHOR, SPONSOR_A, SPONSOR_B):
        run(app, join_campaign, person, "ethics")
    return "ethics"


def draft(app, new=GOOD, person=AUTHOR) -> str:
    return run(app, drafting.draft_petition, person, "ethics", new).petition.ref


def in_review(app) -> str:
    ref = draft(app)
    run(app, review.sponsor_petition, SPONSOR_A, ref)
    run(app, review.sponsor_petition, SPONSOR_B, ref)
    return ref


def opened(app) -> str:
    ref = in_review(app)
    run(app, review.approve_petition, LIAISON, ref)
    run(app, review.approve_petition, OTHER_LIAISON, ref)
    return ref


def stage(app, ref) -> str:
    return run(app, listing.show_petition, LEAD, ref).stage


def count(app, model) -> int:
    with app.unit() as uow:
        return uow.session.exec(select(func.count(model.id))).one()


def inbox_text(app, person) -> list[tuple[str, dict]]:
    return [(item.template, item.params) for item in run(app, inbox.read_inbox, person)]


@pytest.mark.parametrize("new", [
    NewPetition(title=TITLE, addressee="CRO", points=POINTS[:2], ask=ASK),
    NewPetition(title=TITLE, addressee="CRO", points=(*POINTS, "A fourth point."), ask=ASK),
    NewPetition(title=TITLE, addressee="CRO", points=POINTS, ask=None),
    NewPetition(title=TITLE, addressee="CRO", points=(POINTS[0], "x" * 281, POINTS[2]), ask=ASK),
], ids=["two points", "four points", "no ask", "a 281-character point"])
def test_a_refused_draft_stores_nothing(app, ethics, new):
    notices_before = count(app, Notice)
    with pytest.raises(PetitionRefused) as refused:
        draft(app, new)
    assert refused.value.params["problems"]
    assert count(app, Petition) == 0
    assert count(app, Notice) == notices_before


def test_an_author_cannot_sponsor_their_own_draft_and_two_others_send_it_to_the_liaisons(app,
                                                                                         ethics):
    ref = draft(app)
    with pytest.raises(OwnPetition):
        run(app, review.sponsor_petition, AUTHOR, ref)
    run(app, review.sponsor_petition, SPONSOR_A, ref)
    again = run(app, review.sponsor_petition, SPONSOR_A, ref)
    assert again.repeated and again.petition.stage == Stage.DRAFT
    with pytest.raises(PetitionWrongStage):
        run(app, review.approve_petition, LIAISON, ref)
    run(app, review.sponsor_petition, SPONSOR_B, ref)
    assert stage(app, ref) == Stage.REVIEW
    assert ("notices/petition_review.j2", {"name": "ethics", "ref": ref}) in inbox_text(app, LIAISON)
    assert ("notices/petition_sponsored.j2", {"name": "ethics", "ref": ref}) in inbox_text(app,
                                                                                           AUTHOR)


def test_it_opens_only_when_two_liaisons_approve_and_members_cannot_approve(app, ethics):
    ref = in_review(app)
    with pytest.raises(NotAllowed):
        run(app, review.approve_petition, SPONSOR_A, ref)
    first = run(app, review.approve_petition, LIAISON, ref)
    assert first.petition.stage == Stage.REVIEW and first.petition.approvals == 1
    assert run(app, review.approve_petition, LIAISON, ref).repeated
    with pytest.raises(PetitionWrongStage):
        run(app, signing.sign_petition, SIGNERS[0], ref, Mode.ANONYMOUS)
    run(app, review.approve_petition, OTHER_LIAISON, ref)
    assert stage(app, ref) == Stage.OPEN


def test_one_approval_opens_it_when_the_campaign_has_a_single_liaison(app, ethics):
    run(app, roles.remove_liaison, LEAD, "ethics", OTHER_LIAISON)
    ref = in_review(app)
    assert run(app, review.approve_petition, LIAISON, ref).petition.stage == Stage.OPEN


def test_a_returned_petition_reaches_its_author_with_the_reason_and_never_opens(app, ethics):
    ref = in_review(app)
    with pytest.raises(ReasonNeeded):
        run(app, review.return_petition, LIAISON, ref, "  ")
    run(app, review.return_petition, LIAISON, ref, "Point two needs a source.")
    params = dict(inbox_text(app, AUTHOR))["notices/petition_returned.j2"]
    assert params["reason"] == "Point two needs a source."
    assert run(app, listing.show_petition, AUTHOR, ref).return_reason == "Point two needs a source."
    assert run(app, listing.show_petition, SPONSOR_A, ref).return_reason is None
    with pytest.raises(PetitionWrongStage):
        run(app, review.approve_petition, OTHER_LIAISON, ref)


def test_liaisons_are_reminded_of_a_petition_waiting_more_than_three_days(app, ethics, clock):
    ref = in_review(app)
    run(app, review.approve_petition, LIAISON, ref)
    inbox_text(app, OTHER_LIAISON)
    clock.advance(timedelta(days=3, minutes=1))
    app.jobs.run_due(clock.now())
    waiting = [t for t, _ in inbox_text(app, OTHER_LIAISON)]
    assert "notices/petition_waiting.j2" in waiting
    assert "notices/petition_waiting.j2" not in [t for t, _ in inbox_text(app, LIAISON)]


def test_a_single_lead_cannot_deliver_alone(app, ethics, settings):
    ref = opened(app)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.NAMED)
    with pytest.raises(NotAllowed):
        run(app, delivery.deliver_petition, SIGNERS[0], ref, letter_writer(settings.output_dir, user))
    with pytest.raises(DeliveryNeedsTwo):
        run(app, delivery.deliver_petition, LIAISON, ref, letter_writer(settings.output_dir, user))
    asked = run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    assert not asked.delivered and asked.files == ()
    with pytest.raises(DeliveryNeedsTwo):
        run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    assert stage(app, ref) == Stage.OPEN
    assert not settings.output_dir.exists() or list(settings.output_dir.iterdir()) == []
    done = run(app, delivery.deliver_petition, SECOND_LEAD, ref, letter_writer(settings.output_dir, user))
    assert done.delivered and stage(app, ref) == Stage.DELIVERED


def test_a_signer_can_withdraw_until_delivery_and_not_after(app, ethics, settings):
    ref = opened(app)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.ANONYMOUS)
    run(app, signing.withdraw_petition, SIGNERS[0], ref)
    with pytest.raises(NotSigned):
        run(app, signing.withdraw_petition, SIGNERS[0], ref)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.ANONYMOUS)
    run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    run(app, delivery.deliver_petition, LIAISON, ref, letter_writer(settings.output_dir, user))
    with pytest.raises(PetitionWrongStage):
        run(app, signing.withdraw_petition, SIGNERS[0], ref)
    with pytest.raises(PetitionWrongStage):
        run(app, signing.sign_petition, SIGNERS[1], ref, Mode.ANONYMOUS)
    assert count(app, Signature) == 1


def test_signing_twice_keeps_one_signature_and_petition_signers_count_as_supporters(app, ethics):
    ref = opened(app)
    for person in SIGNERS[:5]:
        run(app, signing.sign_petition, person, ref, Mode.ANONYMOUS)
    again = run(app, signing.sign_petition, SIGNERS[0], ref, Mode.ANONYMOUS)
    assert again.signed.repeated
    run(app, publish_counts)
    assert str(run(app, listing.show_petition, SIGNERS[0], ref).supporters) == "5"


def test_the_pdf_letter_holds_the_title_the_ask_and_names_in_any_script(app, ethics, settings):
    title = "Łódź office: end merchant accounts for nudify apps"
    ref = draft(app, NewPetition(title=title, addressee="Ямада 山田, Chief Risk Officer",
                                 points=POINTS, ask=ASK))
    run(app, review.sponsor_petition, SPONSOR_A, ref)
    run(app, review.sponsor_petition, SPONSOR_B, ref)
    run(app, review.approve_petition, LIAISON, ref)
    run(app, review.approve_petition, OTHER_LIAISON, ref)
    named = Person("slack", WS, "Zoë-Дмитрий")
    run(app, signing.sign_petition, named, ref, Mode.NAMED)
    run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    done = run(app, delivery.deliver_petition, LIAISON, ref, letter_writer(settings.output_dir, user))
    markdown, pdf = done.files
    assert {markdown.name, pdf.name} == {f"petition-{ref}.md", f"petition-{ref}.pdf"}
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    assert title in flat
    assert ASK in flat
    assert "Zoë-Дмитрий" in flat
    assert "Signed by fewer than 5 employees." in flat


def test_conditional_names_still_sealed_at_delivery_are_left_out_and_destroyed(app, ethics,
                                                                              settings):
    ref = opened(app)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.NAMED)
    run(app, signing.sign_petition, SIGNERS[1], ref, Mode.CONDITIONAL)
    run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    done = run(app, delivery.deliver_petition, LIAISON, ref, letter_writer(settings.output_dir, user))
    letter = done.files[0].read_text()
    assert SIGNERS[0].user in letter and SIGNERS[1].user not in letter
    with app.unit() as uow:
        sealed = uow.session.exec(select(Signature).where(Signature.mode == Mode.CONDITIONAL)).one()
    assert sealed.name_sealed is None


def test_talking_points_with_two_supporters_can_be_picked_and_others_are_refused(
        app, ethics, clock):
    created = run(app, points.create_point, LIAISON, "ethics", POINTS[0])
    lonely = run(app, points.create_point, LIAISON, "ethics", "A point nobody backs yet.")
    run(app, points.support_point, SPONSOR_A, created.id)
    run(app, points.support_point, SPONSOR_B, created.id)
    publish(app, clock)
    picked = NewPetition(title=TITLE, addressee="CRO", points=POINTS[1:], ask=ASK,
                         picked=(f"#{created.id}",))
    ref = draft(app, picked)
    assert run(app, listing.show_petition, AUTHOR, ref).text.points == POINTS
    with pytest.raises(PetitionRefused) as refused:
        draft(app, NewPetition(title=TITLE, addressee="CRO", points=POINTS[1:], ask=ASK,
                               picked=(str(lonely.id),)))
    assert [p.rule for p in refused.value.params["problems"]] == ["point_unsupported"]


def test_a_private_campaigns_petition_is_shown_only_to_its_members(app):
    run(app, open_campaign, LEAD, NewCampaign(name="quiet", headcount=40, private=True))
    run(app, roles.add_liaison, LEAD, "quiet", LIAISON)
    ref = run(app, drafting.draft_petition, LEAD, "quiet", GOOD).petition.ref
    with pytest.raises(NotFound):
        run(app, listing.show_petition, AUTHOR, ref)


def test_drafts_are_listed_to_their_author_and_sponsors_and_open_ones_to_everyone(app, ethics):
    ref = draft(app)
    run(app, review.sponsor_petition, SPONSOR_A, ref)
    assert [p.ref for p in run(app, listing.list_petitions, AUTHOR, "ethics").petitions] == [ref]
    assert [p.ref for p in run(app, listing.list_petitions, SPONSOR_A, "ethics").petitions] == [ref]
    assert run(app, listing.list_petitions, SIGNERS[0], "ethics").petitions == []
    run(app, review.sponsor_petition, SPONSOR_B, ref)
    assert [p.ref for p in run(app, listing.list_petitions, LIAISON, "ethics").petitions] == [ref]
    run(app, review.approve_petition, LIAISON, ref)
    run(app, review.approve_petition, OTHER_LIAISON, ref)
    assert [p.ref for p in run(app, listing.list_petitions, SIGNERS[0], "ethics").petitions] == [ref]


def test_an_author_who_leaves_does_not_take_the_petition_with_them(app, ethics):
    ref = opened(app)
    run(app, leave_campaign, AUTHOR, "ethics")
    assert stage(app, ref) == Stage.OPEN


def test_nothing_at_rest_holds_the_petition_text_or_who_signed(app, ethics, settings):
    ref = opened(app)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.NAMED)
    run(app, signing.sign_petition, SIGNERS[1], ref, Mode.CONDITIONAL)
    run(app, review.return_petition, LIAISON, in_review(app), "Please cite the study in point 3.")
    at_rest = stored_bytes(app.engine)
    assert leaks(at_rest, [TITLE, *POINTS, ASK, "Chief Risk Officer", "cite the study",
                           SIGNERS[0].user, SIGNERS[1].user, AUTHOR.user]) == []


def test_archiving_the_campaign_destroys_its_petitions_sponsors_approvals_and_deliveries(
        app, ethics, settings):
    from campaigns.membership.administration import archive_campaign
    from petitions.models import PetitionApproval, PetitionDelivery, PetitionSponsor

    ref = opened(app)
    run(app, signing.sign_petition, SIGNERS[0], ref, Mode.NAMED)
    run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    run(app, archive_campaign, LEAD, "ethics")
    for model in (Petition, PetitionSponsor, PetitionApproval, PetitionDelivery, Signature):
        assert count(app, model) == 0, model.__tablename__


@pytest.mark.parametrize("platform", ["console", "slack", "discord"])
def test_every_petition_reply_renders_on_every_platform(app, ethics, settings, platform):
    from bots.output.rendering import Renderer

    renderer = Renderer(platform)
    ref = draft(app)
    drafted = run(app, listing.show_petition, AUTHOR, ref)
    step = run(app, review.sponsor_petition, SPONSOR_A, ref)
    assert ref in renderer.render("petition/drafted.j2", p=drafted, warnings=[])
    assert ref in renderer.render("petition/sponsored.j2", step=step, p=step.petition)
    ref = opened(app)
    signed = run(app, signing.sign_petition, SIGNERS[0], ref, Mode.CONDITIONAL)
    assert "sealed" in renderer.render("petition/signed.j2", s=signed, p=signed.petition)
    assert ref in renderer.render("petition/show.j2", p=signed.petition)
    listed = run(app, listing.list_petitions, SIGNERS[0], "ethics")
    assert ref in renderer.render("petition/list.j2", l=listed)
    run(app, delivery.deliver_petition, LEAD, ref, letter_writer(settings.output_dir, user))
    done = run(app, delivery.deliver_petition, LIAISON, ref, letter_writer(settings.output_dir, user))
    assert "fewer than 5" in renderer.render("petition/delivered.j2", step=done, p=done.petition)
    for template, params in inbox_text(app, SIGNERS[0]) + inbox_text(app, AUTHOR):
        assert ref in renderer.render(template, p=params)
