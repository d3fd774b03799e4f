"""Helpers for use-case tests: console people, commands, the clock, supporters made by signing."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from sqlmodel import select

from bots.output.rendering import Renderer
from campaigns.core.access import find_campaign, vault_of
from campaigns.core.members import ensure_member
from campaigns.core.models import Campaign
from campaigns.core.privacy import Person
from campaigns.core.signatures import Mode, sign
from campaigns.membership.roles import set_team


def person(name: str) -> Person:
    return Person("console", "console", name)


def run(app, use_case, *args):
    """Call a use case in a unit of work of its own, as the dispatcher does."""
    with app.unit() as uow:
        return use_case(uow, *args)


def add_supporters(app, campaign: str, names, *, team: str | None = None,
                   subject_id: int = 1) -> None:
    """Each named console person joins (if needed) and signs the campaign's pledge `subject_id`."""
    for name in names:
        with app.unit() as uow:
            found = find_campaign(uow, person(name), campaign)
            member = ensure_member(uow, found, person(name))
            sign(uow, vault_of(uow, found), member, person(name), "pledge", subject_id,
                 Mode.ANONYMOUS)
            uow.commit()
        if team is not None:
            with app.unit() as uow:
                set_team(uow, person(name), campaign, team)


def next_snapshot(app, clock) -> int:
    """Move the clock one snapshot period on and run what falls due, as `:advance` does."""
    clock.advance(app.rules.snapshot_every)
    return app.jobs.run_due(clock.now())


def advance(app, clock, span: timedelta) -> int:
    clock.advance(span)
    return app.jobs.run_due(clock.now())


def people(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{index}" for index in range(count)]


@cache
def renderer(platform: str) -> Renderer:
    """One renderer per platform for the whole run, so each template compiles once."""
    return Renderer(platform)


def ask(app, who: str, text: str, **extras) -> tuple[str, list]:
    """Run a command as a console person; the rendered text and the replies (for their files)."""
    replies = app.dispatcher("console").run(person(who), text, **extras)
    console = renderer("console")
    return "\n".join(console.render(r.template, **r.data) for r in replies), replies


def inbox(app, who: str) -> str:
    return ask(app, who, "/campaign inbox")[0]


def publish(app, clock) -> None:
    """Move the clock to the next planned count snapshot and take it, as the scheduled job
    would: what people did before it becomes visible (queue items, talking point support,
    listed names), which is stamped with that snapshot's time."""
    from bots.runtime.jobs import publish_counts
    from campaigns.core.schedule import next_count

    with app.unit() as uow:
        campaign = uow.session.exec(select(Campaign).order_by(Campaign.id)).first()
        when = next_count(uow, campaign) if campaign is not None else None
    step = when - clock.now() if when is not None else timedelta(0)
    clock.advance(max(step, timedelta(minutes=1)))
    with app.unit() as uow:
        publish_counts(uow)
