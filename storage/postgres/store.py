"""The Store on PostgreSQL: the same port as storage.tinydb_store, each record in the table of its kind.

Durability maps onto transactions. Without group commit each call is its own transaction, committed before it
returns. With group commit (the bot) the calls of one batch of the service runner share one transaction, which
`flush()` commits — and the runner hands no call's result back before it: a report is confirmed only once its
transaction has committed. A failed commit loses the whole batch, and every caller in it hears so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
from psycopg_pool import PoolTimeout

from storage import binding_codec, codec
from storage.postgres import plan_change
from storage.postgres.cache import ReadCache, reads, writes
from storage.postgres.connection import Transactions, Unreachable
from storage.postgres.connection import operation as _op
from storage.postgres.relay import Relay
from storage.postgres.schema import upgrade
from storage.postgres.supervision import Supervision
from storage.postgres.tables import chat_key, write
from supervisor_bot.core.bindings import Binding, Invite
from supervisor_bot.core.oversight import Resolution
from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.core.plan_rekey import Rekeying
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.ports.store import EVERY_PLAN

HANDLED_KEPT = 5000  # the latest updates remembered, as the files keep them


class PgStore(Supervision, Relay):
    def __init__(
        self,
        url: str,
        group_commit: bool = False,
        name: str = "supervisor-bot",
        files: Path | None = None,
        read_only: bool = False,
    ) -> None:
        """`files`: the data folder, where 佐证材料 are downloaded before they are saved (and brought back to).
        `read_only`: every transaction is (a dashboard process without a bot) — save the relay's own."""
        self.group_commit = group_commit
        self.files = files
        self.cache = ReadCache(enabled=group_commit and not read_only)  # the active bot: the only writer
        try:
            self.tx = Transactions(url, name, read_only=read_only)
        except (psycopg.Error, PoolTimeout) as error:
            raise Unreachable(error) from None
        try:
            if read_only and self.tx.conn().execute("SELECT to_regclass('schema_version')").fetchone() == (None,):
                raise Unreachable(RuntimeError("数据库中还没有督办机器人的数据：请先启动机器人，或执行 store migrate"))
            if not read_only:  # a dashboard process never changes the schema: the bot does
                upgrade(self.tx.conn())
                self.tx.conn().execute(  # the latest updates handled are enough to recognise one redelivered
                    "DELETE FROM handled_updates WHERE seq <= (SELECT max(seq) FROM handled_updates) - %s",
                    (HANDLED_KEPT,),
                )
            self.tx.end(commit=True)
        except psycopg.Error as error:
            self.tx.close()
            raise Unreachable(error) from None
        except BaseException:
            self.tx.close()
            raise

    def revision(self) -> int | None:
        """The active bot's, as its read cache's: it is the only writer (None in any other process)."""
        return self.cache.revision if self.cache.enabled else None

    def flush(self) -> None:
        with self.tx.lock:
            try:
                self.tx.end(commit=True)
            except BaseException:
                self.cache.clear()  # what was read may have been this transaction's own writes
                raise

    def close(self) -> None:
        self.tx.close()

    # bindings and invites
    @_op
    @reads("bindings")
    def bindings(self) -> list[Binding]:
        return [binding_codec.binding(d) for d in self._docs("SELECT doc FROM bindings ORDER BY seq")]

    @_op
    @writes("bindings", "audit")
    def save_binding(self, binding: Binding, audit: AuditEntry) -> None:
        self._journal([audit], None)
        write(self._c, "bindings", [binding_codec.binding_doc(binding)])

    @_op
    @writes("bindings", "audit")
    def delete_binding(self, respondent: str, audit: AuditEntry) -> None:
        self._journal([audit], None)
        self._c.execute("DELETE FROM bindings WHERE respondent = %s", (respondent,))

    @_op
    def invite(self, code: str) -> Invite | None:
        found = self._docs("SELECT doc FROM invites WHERE code = %s", code)
        return binding_codec.invite(found[0]) if found else None

    @_op
    def save_invite(self, invite: Invite) -> None:
        write(self._c, "invites", [binding_codec.invite_doc(invite)])

    # rounds, and each round's log
    @_op
    @reads("rounds")
    def rounds(self) -> list[Round]:
        found = [codec.round_(d) for d in self._docs("SELECT doc FROM rounds ORDER BY seq")]
        return sorted(found, key=lambda r: r.opened_at)

    @_op
    @writes("rounds")
    def save_round(self, round_: Round) -> None:
        write(self._c, "rounds", [codec.round_doc(round_)])

    @_op
    @reads("reports")
    def reports(self, round_id: str) -> dict[tuple[int, str], Report]:
        found = (
            codec.report(d) for d in self._docs("SELECT doc FROM reports WHERE round_id = %s ORDER BY seq", round_id)
        )
        return {r.key: r for r in found}

    @_op
    @writes("reports", "audit")
    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None:
        write(self._c, "reports", [codec.report_doc(r) for r in reports], round_id=round_id)
        self._journal(audit, round_id)

    @_op
    @reads("audit")
    def audit(self, round_id: str | None) -> list[AuditEntry]:
        if round_id is None:
            found = self._docs("SELECT doc FROM audit WHERE log IS NULL ORDER BY seq")
        else:
            found = self._docs("SELECT doc FROM audit WHERE log = %s ORDER BY seq", round_id)
        return [codec.audit(d) for d in found]

    @_op
    @reads("steps")
    def done(self, round_id: str) -> set[str]:
        return {str(d["key"]) for d in self._docs("SELECT doc FROM steps WHERE round_id = %s", round_id)}

    @_op
    @reads("escalated")
    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]:
        found = self._docs("SELECT doc FROM escalated WHERE round_id = %s ORDER BY seq", round_id)
        return {(int(d["measure"]), str(d["respondent"])): codec.moment(d["at"]) for d in found}

    @_op
    @writes("steps", "escalated")
    def record_steps(self, round_id: str, steps: list[tuple[str, list[tuple[int, str]]]], at: dt.datetime) -> None:
        when = codec.when(at)
        done = [{"round_id": round_id, "key": k, "at": when} for k, _ in steps]
        write(self._c, "steps", done, upsert=False)
        escalated = [
            {"round_id": round_id, "measure": m, "respondent": r, "at": when}
            for key, items in steps
            if key.startswith("escalate:")
            for m, r in items
        ]
        write(self._c, "escalated", escalated, upsert=False)  # the first escalation of an item stands

    @_op
    @reads("resolutions")
    def resolutions(self, round_id: str) -> list[Resolution]:
        found = self._docs("SELECT doc FROM resolutions WHERE round_id = %s ORDER BY seq", round_id)
        return [codec.resolution(d) for d in found]

    @_op
    @writes("resolutions", "audit")
    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None:
        write(self._c, "resolutions", [codec.resolution_doc(resolution)])
        self._journal([audit], resolution.round_id)

    # checklists and notes awaited
    @_op
    @reads("prompts")
    def prompts(self) -> list[Prompt]:
        return [codec.prompt(d) for d in self._docs("SELECT doc FROM prompts ORDER BY seq")]

    @_op
    @reads("prompts")
    def prompt(self, prompt_id: str) -> Prompt | None:
        found = self._docs("SELECT doc FROM prompts WHERE id = %s", prompt_id)
        return codec.prompt(found[0]) if found else None

    @_op
    @writes("prompts")
    def save_prompt(self, prompt: Prompt) -> None:
        write(self._c, "prompts", [codec.prompt_doc(prompt)])

    @_op
    @writes("prompts")
    def save_prompts(self, prompts: list[Prompt]) -> None:
        self._c.execute("DELETE FROM prompts WHERE id = ANY(%s)", ([p.id for p in prompts],))
        write(self._c, "prompts", [codec.prompt_doc(p) for p in prompts])

    @_op
    @writes("prompts")
    def delete_prompts(self, respondent: str | None = None, plan: str | None = None) -> None:
        every = plan in (None, EVERY_PLAN)
        self._c.execute(
            "DELETE FROM prompts WHERE (%s::text IS NULL OR respondent = %s) AND (%s OR plan = %s)",
            (respondent, respondent, every, plan or ""),
        )

    @_op
    def pending_note(self, chat_id: ChatId, message_id: MessageId) -> PendingNote | None:
        key = (chat_key(chat_id), chat_key(message_id))
        found = self._docs("SELECT doc FROM notes WHERE chat_id = %s AND message_id = %s", *key)
        return codec.note(found[0]) if found else None

    @_op
    def pending_notes(self, chat_id: ChatId) -> list[PendingNote]:
        found = self._docs("SELECT doc FROM notes WHERE chat_id = %s ORDER BY seq", chat_key(chat_id))
        return sorted((codec.note(d) for d in found), key=lambda n: n.at)

    @_op
    def save_pending_note(self, note: PendingNote) -> None:
        write(self._c, "notes", [codec.note_doc(note)])

    @_op
    def delete_pending_note(self, chat_id: ChatId, message_id: MessageId) -> None:
        key = (chat_key(chat_id), chat_key(message_id))
        self._c.execute("DELETE FROM notes WHERE chat_id = %s AND message_id = %s", key)

    @_op
    def next_id(self, name: str, count: int = 1) -> int:
        row = self._c.execute(
            "INSERT INTO counters (name, doc) VALUES (%s, jsonb_build_object('name', %s::text, 'value', %s::bigint))"
            " ON CONFLICT (name) DO UPDATE SET doc = jsonb_set(counters.doc, '{value}',"
            " to_jsonb((counters.doc->>'value')::bigint + %s::bigint)) RETURNING (doc->>'value')::bigint",
            (name, name, count, count),
        ).fetchone()
        assert row is not None
        return int(row[0]) - count + 1

    # a revised plan; a one-plan store adopted
    @_op
    @writes("*")
    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None:
        plan_change.rekey(self._c, change, plan)
        self._journal(audit, None)

    @_op
    @writes("*")
    def adopt(self, plan: str) -> None:
        plan_change.adopt(self._c, plan)

    # the messenger's updates already handled
    @_op
    def handled_updates(self) -> set[int]:
        rows = self._c.execute("SELECT update_id FROM handled_updates ORDER BY seq DESC LIMIT %s", (HANDLED_KEPT,))
        return {int(row[0]) for row in rows.fetchall()}

    @_op
    def mark_update_handled(self, update_id: int) -> None:
        write(self._c, "handled_updates", [{"update_id": update_id}], upsert=False)
