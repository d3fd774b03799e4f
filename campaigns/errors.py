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


class NotAMember(ConcertedError):
    template = "errors/not_a_member.j2"


class AlreadyMember(ConcertedError):
    template = "errors/already_member.j2"


class InviteNeeded(ConcertedError):
    template = "errors/invite_needed.j2"


class NotAllowed(ConcertedError):
    """The person lacks the role (`needed`) for `action`."""

    template = "errors/not_allowed.j2"


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
