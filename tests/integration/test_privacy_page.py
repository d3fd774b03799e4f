"""docs/PRIVACY.md lists every stored table and column: what a seizure could hand over."""

import re
from pathlib import Path

from sqlalchemy import inspect

PAGE = Path(__file__).resolve().parents[2] / "docs" / "PRIVACY.md"


def documented() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    current = None
    for line in PAGE.read_text().splitlines():
        heading = re.match(r"^### (\w+)\s*$", line)
        if heading:
            current = tables.setdefault(heading.group(1), set())
            continue
        row = re.match(r"^\| (\w+) \|", line)
        if current is not None and row and row.group(1) != "column":
            current.add(row.group(1))
    return tables


def test_every_table_and_column_in_the_database_is_on_the_privacy_page(app):
    inspector = inspect(app.engine)
    actual = {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }
    page = documented()
    missing_tables = sorted(set(actual) - set(page))
    missing_columns = {
        table: sorted(columns - page.get(table, set()))
        for table, columns in actual.items()
        if columns - page.get(table, set())
    }
    assert missing_tables == [], f"tables not on docs/PRIVACY.md: {missing_tables}"
    assert missing_columns == {}, f"columns not on docs/PRIVACY.md: {missing_columns}"


def test_the_privacy_page_lists_nothing_that_does_not_exist(app):
    inspector = inspect(app.engine)
    actual = {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}
    stale = {
        table: sorted(columns - actual.get(table, set()))
        for table, columns in documented().items()
        if columns - actual.get(table, set())
    }
    assert stale == {}, f"docs/PRIVACY.md lists what the schema no longer has: {stale}"
