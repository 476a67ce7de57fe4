"""A deployment's rows (storage.transfer) into an empty database and out of one, in one transaction each way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg

from storage.postgres.tables import TABLES, write_rows
from storage.transfer import TABLES as ORDER
from storage.transfer import Dump

_GIVEN = {"audit": ("log",), "reports": ("round_id",)}  # columns a document does not hold (or may not match)


def is_empty(conn: psycopg.Connection[Any]) -> bool:
    return all(conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {t})".encode()).fetchone() == (True,) for t in ORDER)


def load(conn: psycopg.Connection[Any], dump: Dump) -> None:
    for table in ORDER:
        write_rows(conn, table, dump.get(table, []))


def read(conn: psycopg.Connection[Any]) -> Dump:
    dump: Dump = {}
    for table in ORDER:
        given = _GIVEN.get(table, ())
        columns = ", ".join([*given, "doc"])
        rows = conn.execute(f"SELECT {columns} FROM {table} ORDER BY seq".encode()).fetchall()
        dump[table] = [(dict(zip(given, row[:-1], strict=True)), row[-1]) for row in rows]
    assert set(TABLES) == set(ORDER)
    return dump


def put_content(conn: psycopg.Connection[Any], evidence_id: str, content: bytes) -> None:
    conn.execute("UPDATE evidence SET content = %s WHERE id = %s", (content, evidence_id))


def contents(conn: psycopg.Connection[Any]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of each 佐证材料 file the database holds."""
    with conn.cursor(name="evidence_files") as cur:
        cur.execute("SELECT doc->>'path', content FROM evidence WHERE content IS NOT NULL ORDER BY seq")
        for path, content in cur:
            yield str(path), bytes(content)
