"""A batch's values as the rows of a table, in a statement whose text is the same for a batch
of any size.

An `IN (...)` list or a many-row `VALUES` grows with its batch, and every size is a new
statement: PostgreSQL parses and plans it afresh, psycopg prepares only a text it has seen
five times, and past 50 parameters it converts the text again every time. Here a column of
values travels as one parameter, an array that PostgreSQL's `unnest` turns into rows (or a
JSON list that SQLite's `json_each` does), so the statement is prepared once and serves
every batch after. Round trips matter more than anything else on PostgreSQL: a burst's
batch waits for each of its statements in turn (bench/slack_wrk.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlalchemy.types import TypeEngine


def listed(dialect: str, parameter: str, type_: TypeEngine, name: str) -> TableValuedAlias:
    """The list bound as `parameter` as a table `name` of one column, `value`."""
    if dialect == "postgresql":
        return func.unnest(bindparam(parameter, type_=ARRAY(type_))) \
            .table_valued("value").render_derived(name=name)
    return func.json_each(bindparam(parameter, type_=JSON)).table_valued("value", name=name)


def unnested(name: str, **columns: TypeEngine) -> TableValuedAlias:
    """PostgreSQL only: lists of equal length, each bound by its column's name, as the rows
    of a table `name` with those columns."""
    arrays = [bindparam(column, type_=ARRAY(type_)) for column, type_ in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=name)


def arrays_of(rows: Sequence[Mapping[str, Any]], table: TableValuedAlias) -> dict[str, list]:
    """Rows given as mappings, turned column by column into the lists `table` (`unnested`)
    binds."""
    return {column.key: [row[column.key] for row in rows] for column in table.c}
