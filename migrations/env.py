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
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
