"""The schema, brought up to date at start: the numbered SQL files of migrations/ not yet applied, all in one
transaction, each recorded in `schema_version`. PostgreSQL changes its schema inside a transaction, so a start
that fails half-way leaves the database as it was; an advisory lock lets two processes start at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from supervisor_bot.settings.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
SCHEMA_LOCK = 0x5344_0001  # pg_advisory_xact_lock key while the schema changes ("SD")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(folder: Path = MIGRATIONS) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"not a migration's name (NNNN_words.sql): {path.name}")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3 … without a gap: {versions}")
    return found


def upgrade(conn: psycopg.Connection[Any], folder: Path = MIGRATIONS) -> list[int]:
    """Apply what is missing, in one transaction; the versions applied. Refuses a database newer than the code."""
    known = migrations(folder)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version"
            " (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = {int(row[0]) for row in conn.execute("SELECT version FROM schema_version").fetchall()}
        newer = sorted(applied - {m.version for m in known})
        if newer:
            raise ConfigError(
                "数据库",
                "schema_version",
                f"数据库结构版本 {newer[-1]} 比本程序新（本程序最高 {len(known)}）：请升级督办机器人后再启动",
            )
        done = []
        for migration in known:
            if migration.version not in applied:
                conn.execute(migration.sql.encode("utf-8"))
                conn.execute(
                    "INSERT INTO schema_version (version, name) VALUES (%s, %s)", (migration.version, migration.name)
                )
                done.append(migration.version)
    return done
