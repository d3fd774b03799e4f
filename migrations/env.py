"""Alembic environment: runs against the engine Concerted hands it, or the configured URL."""

from alembic import context

from bots.runtime.schema import metadata

config = context.config


def _engine():
    engine = config.attributes.get("engine")
    if engine is None:
        from campaigns.core.db import make_engine
        from settings import load_settings

        engine = make_engine(load_settings().database_url)
    return engine


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys
            # enforced, that drop would cascade into every row that points at the table.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
