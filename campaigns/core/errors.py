"""Domain failures. Each names the template that explains it and says what to do next."""

from __future__ import annotations


class ConcertedError(Exception):
    """A failure a person can understand; `template` under templates/*/errors/ words it."""

    template = "errors/generic.j2"

    def __init__(self, **params: object):
        self.params = params
        super().__init__(f"{type(self).__name__}({', '.join(sorted(params))})")


class KeyFileProblem(ConcertedError):
    """The master key file is missing, unreadable or not the one the data was sealed with."""

    template = "errors/key_file.j2"


class CampaignArchived(ConcertedError):
    template = "errors/campaign_archived.j2"


class CampaignNotFound(ConcertedError):
    template = "errors/campaign_not_found.j2"


class CampaignNameTaken(ConcertedError):
    template = "errors/campaign_name_taken.j2"


class BadName(ConcertedError):
    template = "errors/bad_name.j2"


class BadValue(ConcertedError):
    """An option or field has a value outside what it accepts (`field`, `value`, `expected`)."""

    template = "errors/bad_value.j2"


class MilestoneTracked(ConcertedError):
    """Campaign `name` already tracks `percent` (its `threshold`, or a milestone added before)."""

    template = "errors/milestone_tracked.j2"


class NotAMember(ConcertedError):
    template = "errors/not_a_member.j2"


class AlreadyMember(ConcertedError):
    template = "errors/already_member.j2"


class InviteNeeded(ConcertedError):
    template = "errors/invite_needed.j2"


class NotAllowed(ConcertedError):
    """The person lacks the role (`needed`) for `action`."""

    template = "errors/not_allowed.j2"


class RoleConflict(ConcertedError):
    """`who` already holds `held` in campaign `name`, so cannot be given `wanted` (`you`: the
    lead named themselves)."""

    template = "errors/role_conflict.j2"


class TooManyLiaisons(ConcertedError):
    template = "errors/too_many_liaisons.j2"


class LastLead(ConcertedError):
    template = "errors/last_lead.j2"


class NotFound(ConcertedError):
    """A numbered or referenced item (`what`, `ref`) does not exist or is not yours to see."""

    template = "errors/not_found.j2"


class TryAgain(ConcertedError):
    """The database could not be reached for a moment; nothing was changed."""

    template = "errors/try_again.j2"


class PetitionRefused(ConcertedError):
    """A petition draft is not three points and one ask; `problems` lists every broken rule at once. Nothing is stored."""

    template = "errors/petition_refused.j2"


class PetitionWrongStage(ConcertedError):
    """`action` is not possible while the petition (`ref`) is at `stage`."""

    template = "errors/petition_stage.j2"


class OwnPetition(ConcertedError):
    """An author cannot co-sponsor their own draft: it takes two others."""

    template = "errors/petition_own.j2"


class ReasonNeeded(ConcertedError):
    """A liaison returned a petition without saying why."""

    template = "errors/petition_reason.j2"


class NotSigned(ConcertedError):
    """Withdrawing from a petition (`ref`) one has not signed."""

    template = "errors/petition_not_signed.j2"


class DeliveryNeedsTwo(ConcertedError):
    """Disclosure takes two: a lead starts a delivery and someone else (a lead or a liaison) confirms it."""

    template = "errors/petition_delivery_two.j2"


class TextTooLong(ConcertedError):
    """A grievance, reply or talking point (`what`) is over its `limit` of characters."""

    template = "errors/text_too_long.j2"


class TextMissing(ConcertedError):
    """A command that carries text (`what`) came without any; `usage` shows how."""

    template = "errors/text_missing.j2"


class TagNeeded(ConcertedError):
    """A grievance is either to vent or to solve, exactly one of the two."""

    template = "errors/tag_needed.j2"


class GrievanceBlocked(ConcertedError):
    """The liaisons stopped this author (by pseudonym) filing in campaign `name`."""

    template = "errors/grievance_blocked.j2"


class GrievanceLimit(ConcertedError):
    """An author filed `limit` grievances in `name` within a day; `until` says when again."""

    template = "errors/grievance_limit.j2"


class ItemFinished(ConcertedError):
    """The grievance (`ref`) is closed or declined (`status`): nothing more can be added."""

    template = "errors/item_finished.j2"


class AlreadyClaimed(ConcertedError):
    """Another liaison has claimed queue item `item`."""

    template = "errors/already_claimed.j2"


class AlreadyMerged(ConcertedError):
    """Queue item `item` already supports talking point `point`."""

    template = "errors/already_merged.j2"


class PointNotUsable(ConcertedError):
    """Talking point `point` has fewer than `needed` supporters, so it cannot be used yet."""

    template = "errors/point_not_usable.j2"


class NoPledge(ConcertedError):
    """Campaign `name` has no pledge yet (`lead` says whether the asker could create one)."""

    template = "errors/pledge_none.j2"


class PledgeUndecided(ConcertedError):
    """Campaign `name` already has a pledge that is still open or cooling off (`state`)."""

    template = "errors/pledge_undecided.j2"


class PledgeClosed(ConcertedError):
    """The pledge of `name` expired or passed its deadline (`expired`): no more signing."""

    template = "errors/pledge_closed.j2"


class PledgeNotSigned(ConcertedError):
    """`action` needs a signature on the pledge of `name`, and the asker has none."""

    template = "errors/pledge_not_signed.j2"


class ConditionalTooLate(ConcertedError):
    """The names of `name`'s pledge are released, so a conditional signature would name at once."""

    template = "errors/pledge_conditional_late.j2"


class TeamNeeded(ConcertedError):
    """`/pledge connect --team` in `name` needs the asker's own declared team."""

    template = "errors/pledge_team_needed.j2"


class IntroductionOver(ConcertedError):
    """Introduction `ref` was already declined or cancelled (`status`): nothing more to answer."""

    template = "errors/pledge_intro_over.j2"


class NoReportScheduled(ConcertedError):
    """A lead asked to stop a weekly threshold report of campaign `name` that was never set."""

    template = "errors/no_report_scheduled.j2"


class Unreadable(ConcertedError):
    """A sealed value did not open where it is stored: it was changed or moved outside Concerted."""

    template = "errors/unreadable.j2"


class DashboardRefused(ConcertedError):
    """A dashboard link or page of campaign `name` for someone who is not one of its leads
    or liaisons; the same answer whether or not the campaign exists."""

    template = "errors/dashboard_refused.j2"


class LinkUnusable(ConcertedError):
    """A dashboard link that was already used, has expired or was never issued (`reason`)."""

    template = "errors/dashboard_link.j2"


class DashboardSessionEnded(ConcertedError):
    """No dashboard session, or one that expired or whose role or campaign has ended."""

    template = "errors/dashboard_session.j2"


class UnknownLanguage(ConcertedError):
    """A language with no catalog (`value`); `shipped` lists the ones there are."""

    template = "errors/unknown_language.j2"


class UnknownZone(ConcertedError):
    """A time zone that is not an IANA name (`value`)."""

    template = "errors/unknown_zone.j2"
