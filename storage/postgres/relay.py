"""The dashboard processes' queue of decisions for the active bot, and the values the processes share
(supervisor_bot.ports.relay), on the database. A queued decision is committed at once, whatever the store's
group commit: the bot must see it."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from storage import codec
from storage.postgres.connection import Transactions, operation
from supervisor_bot.core.people import Actor
from supervisor_bot.ports.relay import ActionOutcome, QueuedAction


def queue(conn: psycopg.Connection[Any], plan: str, fields: dict[str, str], actor: Actor) -> int:
    row = conn.execute(
        "INSERT INTO web_actions (plan, fields, actor) VALUES (%s, %s, %s) RETURNING id",
        (plan, Jsonb(fields), Jsonb(codec.actor_doc(actor))),
    ).fetchone()
    assert row is not None
    return int(row[0])


def waiting(conn: psycopg.Connection[Any]) -> list[QueuedAction]:
    rows = conn.execute("SELECT id, plan, fields, actor FROM web_actions WHERE done_at IS NULL ORDER BY id")
    return [QueuedAction(int(i), str(p), dict(f), codec.actor(a)) for i, p, f, a in rows.fetchall()]


def finish(conn: psycopg.Connection[Any], action_id: int, outcome: ActionOutcome) -> None:
    conn.execute(
        "UPDATE web_actions SET done_at = now(), outcome = %s WHERE id = %s",
        (Jsonb({"status": outcome.status, "page": outcome.page, "text": outcome.text}), action_id),
    )


def outcome(conn: psycopg.Connection[Any], action_id: int) -> ActionOutcome | None:
    row = conn.execute("SELECT outcome FROM web_actions WHERE id = %s AND done_at IS NOT NULL", (action_id,))
    found = row.fetchone()
    if found is None:
        return None
    doc = found[0]
    return ActionOutcome(int(doc["status"]), str(doc["page"]), str(doc["text"]))


def shared(conn: psycopg.Connection[Any], name: str, offered: str) -> str:
    conn.execute("INSERT INTO shared (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING", (name, offered))
    row = conn.execute("SELECT value FROM shared WHERE name = %s", (name,)).fetchone()
    assert row is not None
    return str(row[0])


class Relay:
    """supervisor_bot.ports.relay.ActionRelay for the store on the database (a base of PgStore)."""

    group_commit: bool
    tx: Transactions

    def _own_transaction(self) -> psycopg.Connection[Any]:
        """A transaction of its own, read-write even in a read-only dashboard process: what came before is
        committed first."""
        self.tx.end(commit=True)
        conn = self.tx.conn()
        conn.execute("SET TRANSACTION READ WRITE")
        return conn

    @operation
    def queue_action(self, plan: str, fields: dict[str, str], actor: Actor) -> int:
        found = queue(self._own_transaction(), plan, fields, actor)
        self.tx.end(commit=True)  # the bot must see it now
        return found

    @operation
    def queued_actions(self) -> list[QueuedAction]:
        return waiting(self.tx.conn())

    @operation
    def finish_action(self, action_id: int, outcome: ActionOutcome) -> None:
        finish(self.tx.conn(), action_id, outcome)

    @operation
    def action_outcome(self, action_id: int) -> ActionOutcome | None:
        return outcome(self.tx.conn(), action_id)

    @operation
    def shared_value(self, name: str, offered: str) -> str:
        agreed = shared(self._own_transaction(), name, offered)
        self.tx.end(commit=True)
        return agreed
