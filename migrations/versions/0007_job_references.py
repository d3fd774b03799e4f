"""stored jobs name the functions at their new module paths

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

The code moved into feature packages (bots/jobs.py is bots/runtime/jobs.py,
campaigns/pledge_outcomes.py is campaigns/pledges/outcomes.py, ...). APScheduler
keeps each job pickled in `apscheduler_jobs.job_state` with its function as a
"module:name" text, and a planned use case as the first argument of
`run_use_case`. A job whose function no longer imports is dropped by the job
store when it is read, so the references are rewritten here, before any
scheduler starts. The table is the job store's own: it may not exist yet.
"""

from __future__ import annotations

import pickle

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "apscheduler_jobs"

# Whole references first: the snapshot use case the jobs ran is now wired by the runtime,
# which hands pledges the counts they wait for.
REFERENCES = {
    "campaigns.snapshots:publish_counts": "bots.runtime.jobs:publish_counts",
}
MODULES = {
    "bots.jobs": "bots.runtime.jobs",
    "campaigns.administration": "campaigns.membership.administration",
    "campaigns.breakdowns": "campaigns.reports.breakdowns",
    "campaigns.campaigns": "campaigns.membership.joining",
    "campaigns.grievance_jobs": "campaigns.grievances.jobs",
    "campaigns.grievances": "campaigns.grievances.filing",
    "campaigns.inbox": "campaigns.core.inbox",
    "campaigns.introductions": "campaigns.pledges.introductions",
    "campaigns.liaison_queue": "campaigns.grievances.queue",
    "campaigns.lookup": "campaigns.core.access",
    "campaigns.pledge_outcomes": "campaigns.pledges.outcomes",
    "campaigns.pledges": "campaigns.pledges.signing",
    "campaigns.points": "campaigns.grievances.points",
    "campaigns.report_schedules": "campaigns.reports.schedules",
    "campaigns.reports": "campaigns.reports.report",
    "campaigns.roles": "campaigns.membership.roles",
    "campaigns.signatures": "campaigns.core.signatures",
    "campaigns.snapshots": "campaigns.reports.snapshots",
    "campaigns.trends": "campaigns.reports.trends",
    "petitions.lookup": "petitions.records",
    "petitions.shared": "petitions.points",
}
RUNNERS = {"bots.jobs:run_use_case", "bots.runtime.jobs:run_use_case"}


def moved(ref: str, references: dict[str, str], modules: dict[str, str]) -> str:
    """The reference `ref` under the new layout (unchanged if it did not move)."""
    if ref in references:
        return references[ref]
    module, colon, name = ref.partition(":")
    return f"{modules.get(module, module)}{colon}{name}" if colon else ref


def rewritten(state: dict, references: dict[str, str], modules: dict[str, str]) -> dict | None:
    """The job state with its references moved, or None if nothing in it moved."""
    func = state.get("func")
    args = tuple(state.get("args") or ())
    if not isinstance(func, str):
        return None
    new_func = moved(func, references, modules)
    new_args = args
    if func in RUNNERS and args and isinstance(args[0], str):
        new_args = (moved(args[0], references, modules), *args[1:])
    if (new_func, new_args) == (func, args):
        return None
    return {**state, "func": new_func, "args": new_args}


def _rewrite_all(references: dict[str, str], modules: dict[str, str]) -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table(TABLE):
        return
    jobs = sa.table(TABLE, sa.column("id", sa.Unicode), sa.column("job_state", sa.LargeBinary))
    for job_id, blob in bind.execute(sa.select(jobs.c.id, jobs.c.job_state)).all():
        # The rows are the job store's own pickles, written by this application.
        state = rewritten(pickle.loads(blob), references, modules)  # noqa: S301
        if state is not None:
            bind.execute(jobs.update().where(jobs.c.id == job_id)
                         .values(job_state=pickle.dumps(state, pickle.HIGHEST_PROTOCOL)))


def upgrade() -> None:
    _rewrite_all(REFERENCES, MODULES)


def downgrade() -> None:
    # Run by the new code only; the old run_use_case resolves the old module paths again.
    _rewrite_all({new: old for old, new in REFERENCES.items()},
                 {new: old for old, new in MODULES.items()})
