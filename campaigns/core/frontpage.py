"""Front-page warnings: gentle flags on text that names people, insults, or leaks.

Pure functions, shared by grievances, talking points and petitions. They
never block: the caller shows them and lets the author edit or send anyway.
The patterns aim at the common cases; missing a rare one is acceptable,
crying wolf on every capitalised phrase is not, hence the stop lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Concern(StrEnum):
    NAMES = "names"  # names an individual: criticism of a person is not protected activity
    INSULT = "insult"  # insults lose protection and lose readers
    CONFIDENTIAL = "confidential"  # trade secrets and confidential material lose protection


@dataclass(frozen=True)
class FrontPageWarning:
    """One concern and the words that raised it, in the order they appear."""

    concern: Concern
    found: tuple[str, ...]


# Capitalised words that start sentences or name places, days and teams, not people.
_COMMON_CAPITALISED = """
    a an and as at but by for from he her his i if in is it its last my next no not of on or
    our she so that the their then there these they this those to we what when where which
    who why with you your all any every each please dear hi hello thanks thank after before
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today tomorrow yesterday
    new york san francisco los angeles united states kingdom european union north south east
    west ai hr it qa ui ux ceo cto cfo coo vp pm us uk eu card visa mastercard slack discord
    google apple amazon microsoft meta open source team teams project product service services
    policy policies office engineering sales support finance legal security trust safety risk
    department group company board management leadership committee human resources
    internal only confidential private secret draft important urgent note update meeting
    """
_NOT_NAMES = frozenset(_COMMON_CAPITALISED.split())

_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_MENTION = re.compile(r"<@[!&]?[A-Za-z0-9]+(?:\|[^>]*)?>|(?<![\w.])@[A-Za-z][\w.-]{1,39}")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+")
_ROLE_AND_NAME = re.compile(
    r"\b(?:my|our|the|his|her|their)\s+(?:(?:line|direct|team|skip|new|old)\s+)?"
    r"(?:manager|boss|supervisor|lead|director|head|ceo|cto|cfo|vp|coworker|co-worker|colleague)"
    r",?\s+([A-Z][a-z]+)",
    re.IGNORECASE,
)

_INSULTS = (
    "idiot", "idiots", "idiotic", "moron", "morons", "moronic", "stupid", "dumb", "imbecile",
    "incompetent", "clown", "clowns", "jerk", "jerks", "loser", "losers", "pathetic",
    "useless", "worthless", "liar", "liars", "crook", "crooks", "scum", "scumbag", "creep",
    "lazy", "bastard", "bastards", "asshole", "assholes", "arsehole", "dickhead", "bitch",
    "prick", "pig", "pigs", "psycho", "clueless", "brainless", "garbage person", "piece of shit",
)
_INSULT = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _INSULTS) + r")\b", re.IGNORECASE)

_SECRETS = (
    "confidential", "nda", "non-disclosure", "internal only", "internal-only",
    "internal use only", "trade secret", "trade secrets", "source code", "customer data",
    "client data", "customer list", "client list", "proprietary", "do not distribute",
    "not for distribution", "under embargo", "embargoed", "unreleased", "unannounced",
    "password", "passwords", "credentials", "api key", "private key", "personal data",
    "financial results", "earnings before", "insider",
)
_SECRET = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _SECRETS) + r")\b", re.IGNORECASE)


def _unique(words: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for word in words:
        word = " ".join(word.split())
        seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def named_people(text: str) -> tuple[str, ...]:
    """Words in `text` that look like a person's name, an @mention or "my manager Sam"."""
    found = [m.group(0) for m in _MENTION.finditer(text)]
    found += [m.group(0) for m in _HONORIFIC.finditer(text)]
    found += [m.group(0) for m in _ROLE_AND_NAME.finditer(text)
              if m.group(1).lower() not in _NOT_NAMES]
    for match in _CAPITALISED_PAIR.finditer(text):
        first, last = match.group(1), match.group(2)
        if first.lower() not in _NOT_NAMES and last.lower() not in _NOT_NAMES:
            found.append(match.group(0))
    return _unique(found)


def insults(text: str) -> tuple[str, ...]:
    """Insulting words found in `text`."""
    return _unique([m.group(0) for m in _INSULT.finditer(text)])


def confidential_material(text: str) -> tuple[str, ...]:
    """Words in `text` that suggest confidential material or trade secrets."""
    return _unique([m.group(0) for m in _SECRET.finditer(text)])


def front_page_warnings(text: str) -> list[FrontPageWarning]:
    """What in `text` you would not want on a front page; empty when nothing is found."""
    checks = ((Concern.NAMES, named_people), (Concern.INSULT, insults),
              (Concern.CONFIDENTIAL, confidential_material))
    warnings = []
    for concern, check in checks:
        found = check(text or "")
        if found:
            warnings.append(FrontPageWarning(concern, found))
    return warnings
