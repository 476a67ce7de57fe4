"""A revised plan carried into the tables (core.plan_rekey), and a one-plan database adopted by a plan's key —
as storage.plan_change does for the files. Rows are rewritten in the order they were, inside the caller's
transaction: a revision is applied whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from psycopg.types.json import Jsonb

from storage import codec
from storage.postgres.tables import write
from supervisor_bot.core import plan_rekey
from supervisor_bot.core.plan_rekey import Rekeying

T = TypeVar("T")
Change = Callable[[T], T | None]


def _rewrite(
    conn: psycopg.Connection[Any],
    table: str,
    where: str,
    params: tuple[Any, ...],
    coded: tuple[Callable[[codec.Doc], T], Callable[[T], codec.Doc]],
    change: Change[T],
    mine: Callable[[T], bool] = lambda _: True,
    **given: Any,
) -> None:
    """The rows `where` selects, deleted and written again in their order: each of `mine` changed (None: dropped);
    a key that two rows come to share keeps the later one's values (upsert), in the earlier one's place."""
    decode, encode = coded
    rows = conn.execute(f"DELETE FROM {table} WHERE {where} RETURNING seq, doc".encode(), params).fetchall()
    values = [decode(doc) for _, doc in sorted(rows, key=lambda row: int(row[0]))]
    kept = [v for v in (change(v) if mine(v) else v for v in values) if v is not None]
    write(conn, table, [encode(v) for v in kept], **given)


def rekey(conn: psycopg.Connection[Any], rk: Rekeying, plan: str | None) -> None:
    def ours(value: Any) -> bool:
        return plan is None or getattr(value, "plan", "") == plan

    rounds = conn.execute("SELECT id FROM rounds WHERE %s::text IS NULL OR plan = %s", (plan, plan)).fetchall()
    for (round_id,) in rounds:
        at = (round_id,)
        _rewrite(conn, "reports", "round_id = %s", at, (codec.report, codec.report_doc),
                 lambda v: plan_rekey.report(rk, v), round_id=round_id)  # fmt: skip
        _rewrite(conn, "audit", "log = %s", at, (codec.audit, codec.audit_doc), lambda v: plan_rekey.audit(rk, v),
                 log=round_id)  # fmt: skip
        _rewrite(conn, "resolutions", "round_id = %s", at, (codec.resolution, codec.resolution_doc),
                 lambda v: plan_rekey.resolution(rk, v))  # fmt: skip
        _escalated(conn, rk, round_id)
    every: tuple[str, tuple[()]] = ("TRUE", ())
    _rewrite(conn, "extensions", *every, (codec.extension, codec.extension_doc), lambda v: plan_rekey.extension(rk, v),
             ours)  # fmt: skip
    _rewrite(conn, "closures", *every, (codec.closure, codec.closure_doc), lambda v: plan_rekey.closure(rk, v), ours)
    _rewrite(conn, "tickets", *every, (codec.ticket, codec.ticket_doc), lambda v: plan_rekey.ticket(rk, v), ours)
    _rewrite(conn, "interviews", *every, (codec.interview, codec.interview_doc), lambda v: plan_rekey.interview(rk, v),
             ours)  # fmt: skip
    _rewrite(conn, "notes", *every, (codec.note, codec.note_doc), lambda v: plan_rekey.note(rk, v), ours)
    _rewrite(conn, "audit", "log IS NULL", (), (codec.audit, codec.audit_doc), lambda v: plan_rekey.audit(rk, v),
             ours, log=None)  # fmt: skip


def _escalated(conn: psycopg.Connection[Any], rk: Rekeying, round_id: str) -> None:
    rows = conn.execute("DELETE FROM escalated WHERE round_id = %s RETURNING seq, doc", (round_id,)).fetchall()
    found = {(int(d["measure"]), str(d["respondent"])): d["at"] for _, d in sorted(rows, key=lambda r: int(r[0]))}
    moved = plan_rekey.escalated(rk, found)
    docs = [{"round_id": round_id, "measure": m, "respondent": r, "at": at} for (m, r), at in moved.items()]
    write(conn, "escalated", docs, upsert=False)


_ADOPTED = ("rounds", "prompts", "notes", "extensions", "closures", "interviews", "tickets", "evidence")


def adopt(conn: psycopg.Connection[Any], plan: str) -> None:
    """A one-plan database's records (plan '') become plan `plan`'s; the journal's entries about a measure go with
    them (those about bindings concern no plan); keys of lasting steps and of the outbox become `<plan>/…`. Run
    again, it changes nothing."""
    stamp = Jsonb({"plan": plan})
    for table in _ADOPTED:
        conn.execute(f"UPDATE {table} SET plan = %s, doc = doc || %s WHERE plan = ''".encode(), (plan, stamp))
    conn.execute(
        "UPDATE audit SET plan = %s, doc = doc || %s WHERE log IS NULL AND plan = '' AND doc->>'measure' IS NOT NULL",
        (plan, stamp),
    )
    prefix = f"{plan}/"
    for table in ("lasting", "outbox"):
        conn.execute(
            f"UPDATE {table} SET key = %s || key, doc = jsonb_set(doc, '{{key}}', to_jsonb(%s || key))"
            " WHERE left(key, length(%s)) <> %s".encode(),
            (prefix, prefix, prefix, prefix),
        )
