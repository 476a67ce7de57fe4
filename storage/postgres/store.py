"""The Store on PostgreSQL: the same port as storage.tinydb_store, each record in the table of its kind.

Durability maps onto transactions. Without group commit each call is its own transaction, committed before it
returns. With group commit (the bot) the calls of one batch of the service runner share one transaction, which
`flush()` commits — and the runner hands no call's result back before it: a report is confirmed only once its
transaction has committed. A failed commit loses the whole batch, and every caller in it hears so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import PoolTimeout

from storage import binding_codec, codec, evidence_codec
from storage.atomic_storage import write_atomically
from storage.postgres import plan_change
from storage.postgres.connection import Transactions, Unreachable
from storage.postgres.connection import operation as _op
from storage.postgres.relay import Relay
from storage.postgres.schema import upgrade
from storage.postgres.tables import chat_key, docs, write
from supervisor_bot.core.bindings import Binding, Invite
from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.oversight import Closure, Extension, Interview, Resolution
from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.core.plan_rekey import Rekeying
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.ports.store import EVERY_PLAN

HANDLED_KEPT = 5000  # the latest updates remembered, as the files keep them


class PgStore(Relay):
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

    @property
    def _c(self) -> psycopg.Connection[Any]:
        return self.tx.conn()

    def _docs(self, sql: str, *params: Any) -> list[codec.Doc]:
        return docs(self._c, sql, *params)

    def flush(self) -> None:
        with self.tx.lock:
            self.tx.end(commit=True)

    def close(self) -> None:
        self.tx.close()

    def _journal(self, entries: list[AuditEntry], log: str | None) -> None:
        write(self._c, "audit", [codec.audit_doc(a) for a in entries], log=log)

    # bindings and invites
    @_op
    def bindings(self) -> list[Binding]:
        return [binding_codec.binding(d) for d in self._docs("SELECT doc FROM bindings ORDER BY seq")]

    @_op
    def save_binding(self, binding: Binding, audit: AuditEntry) -> None:
        self._journal([audit], None)
        write(self._c, "bindings", [binding_codec.binding_doc(binding)])

    @_op
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
    def rounds(self) -> list[Round]:
        found = [codec.round_(d) for d in self._docs("SELECT doc FROM rounds ORDER BY seq")]
        return sorted(found, key=lambda r: r.opened_at)

    @_op
    def save_round(self, round_: Round) -> None:
        write(self._c, "rounds", [codec.round_doc(round_)])

    @_op
    def reports(self, round_id: str) -> dict[tuple[int, str], Report]:
        found = (
            codec.report(d) for d in self._docs("SELECT doc FROM reports WHERE round_id = %s ORDER BY seq", round_id)
        )
        return {r.key: r for r in found}

    @_op
    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None:
        write(self._c, "reports", [codec.report_doc(r) for r in reports], round_id=round_id)
        self._journal(audit, round_id)

    @_op
    def audit(self, round_id: str | None) -> list[AuditEntry]:
        if round_id is None:
            found = self._docs("SELECT doc FROM audit WHERE log IS NULL ORDER BY seq")
        else:
            found = self._docs("SELECT doc FROM audit WHERE log = %s ORDER BY seq", round_id)
        return [codec.audit(d) for d in found]

    @_op
    def done(self, round_id: str) -> set[str]:
        return {str(d["key"]) for d in self._docs("SELECT doc FROM steps WHERE round_id = %s", round_id)}

    @_op
    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]:
        found = self._docs("SELECT doc FROM escalated WHERE round_id = %s ORDER BY seq", round_id)
        return {(int(d["measure"]), str(d["respondent"])): codec.moment(d["at"]) for d in found}

    @_op
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
    def resolutions(self, round_id: str) -> list[Resolution]:
        found = self._docs("SELECT doc FROM resolutions WHERE round_id = %s ORDER BY seq", round_id)
        return [codec.resolution(d) for d in found]

    @_op
    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None:
        write(self._c, "resolutions", [codec.resolution_doc(resolution)])
        self._journal([audit], resolution.round_id)

    # checklists and notes awaited
    @_op
    def prompts(self) -> list[Prompt]:
        return [codec.prompt(d) for d in self._docs("SELECT doc FROM prompts ORDER BY seq")]

    @_op
    def prompt(self, prompt_id: str) -> Prompt | None:
        found = self._docs("SELECT doc FROM prompts WHERE id = %s", prompt_id)
        return codec.prompt(found[0]) if found else None

    @_op
    def save_prompt(self, prompt: Prompt) -> None:
        write(self._c, "prompts", [codec.prompt_doc(prompt)])

    @_op
    def save_prompts(self, prompts: list[Prompt]) -> None:
        self._c.execute("DELETE FROM prompts WHERE id = ANY(%s)", ([p.id for p in prompts],))
        write(self._c, "prompts", [codec.prompt_doc(p) for p in prompts])

    @_op
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

    # lasting decisions and tickets
    def _decision(self, table: str, doc: codec.Doc, audit: AuditEntry) -> None:
        """A decision, and its audit entry in its round's trail (or the journal, outside rounds)."""
        self._journal([audit], audit.round_id or None)
        write(self._c, table, [doc])

    @_op
    def extensions(self) -> list[Extension]:
        return [codec.extension(d) for d in self._docs("SELECT doc FROM extensions ORDER BY seq")]

    @_op
    def save_extension(self, extension: Extension, audit: AuditEntry) -> None:
        self._decision("extensions", codec.extension_doc(extension), audit)

    @_op
    def closures(self) -> list[Closure]:
        return [codec.closure(d) for d in self._docs("SELECT doc FROM closures ORDER BY seq")]

    @_op
    def save_closure(self, closure: Closure, audit: AuditEntry) -> None:
        self._decision("closures", codec.closure_doc(closure), audit)

    @_op
    def interviews(self) -> list[Interview]:
        found = [codec.interview(d) for d in self._docs("SELECT doc FROM interviews ORDER BY seq")]
        return sorted(found, key=lambda i: i.proposed_at)

    @_op
    def save_interview(self, interview: Interview, audit: AuditEntry) -> None:
        self._decision("interviews", codec.interview_doc(interview), audit)

    @_op
    def tickets(self) -> list[Ticket]:
        return [codec.ticket(d) for d in self._docs("SELECT doc FROM tickets ORDER BY seq")]

    @_op
    def save_ticket(self, ticket: Ticket) -> None:
        write(self._c, "tickets", [codec.ticket_doc(ticket)])

    @_op
    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None:
        self._c.execute("DELETE FROM tickets WHERE round_id = ANY(%s) AND kind = %s", (sorted(round_ids), kind.value))

    @_op
    def lasting_done(self) -> set[str]:
        return {str(d["key"]) for d in self._docs("SELECT doc FROM lasting")}

    @_op
    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None:
        write(self._c, "lasting", [{"key": key, "totals": totals}])

    @_op
    def digest_totals(self, key: str) -> dict[str, int] | None:
        found = self._docs("SELECT doc FROM lasting WHERE key = %s", key)
        return dict(found[0]["totals"]) if found and found[0].get("totals") else None

    # 佐证材料
    @_op
    def evidence(self) -> list[Evidence]:
        found = [evidence_codec.evidence(d) for d in self._docs("SELECT doc FROM evidence ORDER BY seq")]
        return sorted(found, key=lambda e: (e.at, e.id))

    @_op
    def save_evidence(self, evidence: Evidence, audit: AuditEntry) -> None:
        """The record, and the file downloaded to the data folder for it, in one transaction."""
        self._decision("evidence", evidence_codec.evidence_doc(evidence), audit)
        staged = self.files / evidence.path if self.files is not None else None
        if staged is not None and staged.is_file():
            self._c.execute("UPDATE evidence SET content = %s WHERE id = %s", (staged.read_bytes(), evidence.id))

    @_op
    def evidence_file(self, evidence: Evidence, folder: Path) -> bool:
        """The file at `folder / evidence.path`: there already, or written there from the database."""
        target = folder / evidence.path
        if target.is_file():
            return True
        if not target.resolve().is_relative_to(folder.resolve()):
            return False  # never written outside the folder, whatever a record says
        row = self._c.execute("SELECT content FROM evidence WHERE id = %s", (evidence.id,)).fetchone()
        if row is None or row[0] is None:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, bytes(row[0]))
        return True

    # messages on their way out
    @_op
    def intents(self) -> dict[str, Intent]:
        return {i.key: i for i in (codec.intent(d) for d in self._docs("SELECT doc FROM outbox ORDER BY seq"))}

    @_op
    def save_intent(self, intent: Intent) -> None:
        write(self._c, "outbox", [codec.intent_doc(intent)])

    @_op
    def clear_intents(self, keys: Iterable[str]) -> None:
        wanted = sorted(set(keys))
        if wanted:
            self._c.execute("DELETE FROM outbox WHERE key = ANY(%s)", (wanted,))

    # a revised plan; a one-plan store adopted
    @_op
    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None:
        plan_change.rekey(self._c, change, plan)
        self._journal(audit, None)

    @_op
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
