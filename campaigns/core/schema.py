"""The schema's one metadata object. Feature packages add their tables to it when imported;
`bots.runtime.schema` imports them all, for Alembic, archive and the privacy page test."""

from sqlmodel import SQLModel

metadata = SQLModel.metadata
