"""Finding saved calls in SQL: a call id from its prefix, and the filters of listings."""

from __future__ import annotations

import sqlite3
from typing import Any

from simulator.errors import UnknownCallError, shorten
from simulator.storage.rows import no_call


def filter_sql(trainee: str | None, workshop: str | None, persona: str | None,
               joiner: str = " WHERE ") -> tuple[str, list[Any]]:
    """SQL after `joiner` matching the given filters on `calls c` (all of them), and its params."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("trainee", trainee), ("workshop", workshop), ("persona", persona)):
        if value is not None:
            clauses.append(f"c.{column} = ?")
            params.append(value)
    return (joiner + " AND ".join(clauses) if clauses else ""), params


def resolve_call_id(conn: sqlite3.Connection, text: str) -> str:
    """The full id of the one call whose id is, or starts with, `text`; UnknownCallError if
    none or several are."""
    if conn.execute("SELECT 1 FROM calls WHERE call_id = ?", (text,)).fetchone():
        return text
    if not text:
        raise no_call("''")
    # A range, not LIKE: it uses the primary-key index and treats _ and % literally.
    sql = "SELECT call_id FROM calls WHERE call_id >= ? AND call_id < ? ORDER BY call_id LIMIT 4"
    matches = [row[0] for row in conn.execute(sql, (text, text + "\U0010ffff"))]
    if not matches:
        raise no_call(text)
    if len(matches) > 1:
        shown = ", ".join(matches[:3]) + (", ..." if len(matches) > 3 else "")
        raise UnknownCallError(
            f"call id {shorten(text)} is ambiguous ({shown}); type more of the id, see "
            "`callsim history`"
        )
    return matches[0]
