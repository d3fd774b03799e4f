"""The composition root: builds the engine, keys, clock, scheduler and dispatcher from settings."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bots.commands.dispatch import Dispatcher
from bots.commands.registry import registry
from bots.output.i18n import LOCALE_DIR, Languages, Locality
from bots.runtime import jobs as job_functions
from bots.runtime import schema  # noqa: F401 - every table, before anything reads the metadata
from bots.runtime.jobs import JobContext
from bots.runtime.logs import configure_logging
from bots.runtime.scheduler import Jobs
from campaigns.core import db
from campaigns.core.clock import Clock, SystemClock
from campaigns.core.group_commit import GroupCommit
from campaigns.core.privacy import MasterKey, load_master_key
from campaigns.core.unit_of_work import Notifier, Rules, UnitOfWork
from settings import Settings

log = logging.getLogger("concerted.bootstrap")


@dataclass
class App:
    settings: Settings
    engine: Engine
    keys: MasterKey
    clock: Clock
    rules: Rules
    jobs: Jobs
    notifier: Notifier | None = None
    dispatchers: dict[str, Dispatcher] = field(default_factory=dict)
    # Set by whoever starts the web server, once its port is known (bots/web/server.py).
    web_url: str | None = None
    # What every job is handed when it runs; adapters add their headcount directories to it.
    job_context: JobContext = field(init=False)
    # The catalogs and the deployment's language and zone (CONCERTED_LOCALE, _TIMEZONE).
    languages: Languages = field(init=False)

    # Short writes arriving together share one transaction and one commit.
    group: GroupCommit = field(init=False)

    def __post_init__(self) -> None:
        self.job_context = JobContext(self.unit)
        self.languages = languages_from(self.settings)
        self.group = GroupCommit(self.engine, self.unit_on, self.unit)

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work; what is not committed when it ends is rolled back."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield self.unit_on(session)

    def unit_on(self, session: Session) -> UnitOfWork:
        """A unit of work on a session someone else opened (a group commit's savepoint)."""
        return UnitOfWork(session, self.clock, self.keys, self.rules, self.notifier, self.jobs)

    def dispatcher(self, platform: str) -> Dispatcher:
        if platform not in self.dispatchers:
            self.dispatchers[platform] = Dispatcher(
                registry(), self.unit, platform=platform, output_dir=self.settings.output_dir,
                web_url=lambda: self.web_url or self.settings.dashboard_url(),
                languages=self.languages,
                grouped=self.group.run if grouping_pays(self.engine) else None,
            )
        return self.dispatchers[platform]

    def close(self) -> None:
        self.jobs.shutdown()
        scrubber = getattr(self.engine, "wal_scrubber", None)
        if scrubber is not None:
            scrubber.close()
        self.engine.dispose()


def languages_from(settings: Settings) -> Languages:
    """The catalogs (CONCERTED_LOCALE_DIR, else the shipped ones) and the deployment's locality."""
    return Languages(settings.locale_dir or LOCALE_DIR,
                     Locality(settings.locale, settings.timezone))


def grouping_pays(engine: Engine) -> bool:
    """Whether short writes should share commits: on SQLite, one writer at a time anyway, yes;
    on PostgreSQL, which already merges the WAL flushes of concurrent commits, running them
    one after another on one connection cost more in round trips than the commits it saved
    (bench/profile_sign.py), so each keeps its own transaction there."""
    return engine.dialect.name == "sqlite"


def rules_from(settings: Settings) -> Rules:
    return Rules(min_count=settings.min_count, snapshot_every=settings.snapshot_every,
                 cooling_off=settings.cooling_off, retention=settings.retention,
                 digest_window=settings.digest_window, timezone=settings.timezone,
                 locale=settings.locale)


def build(settings: Settings, *, clock: Clock | None = None, notifier: Notifier | None = None,
          realtime: bool = True, logging_setup: bool = True) -> App:
    """Open (and upgrade) the database, load the key, set up jobs: everything a run needs."""
    if logging_setup:
        configure_logging(settings.log_level)
    engine = db.make_engine(settings.database_url)
    keys = load_master_key(settings.key_file, database_has_data=_has_data(engine),
                           stored_check=db.stored_key_check(engine),
                           pseudonyms=db.stored_meta(engine, db.PSEUDONYMS))
    db.upgrade(engine, keys)
    db.remember_key_check(engine, keys.check)
    app = App(settings, engine, keys, clock or SystemClock(), rules_from(settings),
              Jobs(engine, realtime=realtime), notifier)
    app.jobs.start(app.job_context)
    job_functions.install(app)
    log.info("app.started platform=%s", settings.platform)
    return app


def _has_data(engine: Engine) -> bool:
    try:
        return db.has_campaigns(engine)
    except Exception:  # noqa: BLE001 - an unreadable database is not a reason to mint a key
        return True
