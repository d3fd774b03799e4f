"""The schema comes only from Alembic migrations, and they match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bots.runtime.schema import metadata
from campaigns.core import db


def test_migrations_build_exactly_the_schema_the_models_describe(database_url):
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [
                d for d in compare_metadata(context, metadata)
                if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "apscheduler_jobs")
            ]
    finally:
        engine.dispose()
    assert differences == []


def test_upgrading_twice_changes_nothing(database_url):
    engine = db.make_engine(database_url)
    try:
        db.upgrade(engine)
        db.upgrade(engine)
    finally:
        engine.dispose()
