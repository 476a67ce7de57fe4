"""The tables of lasting decisions, tickets, steps outside rounds, 佐证材料 and the outbox: a base of PgStore
(storage.postgres.store), with the helpers every part of it uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg

from storage import codec, evidence_codec
from storage.atomic_storage import write_atomically
from storage.postgres.cache import ReadCache, reads, writes
from storage.postgres.connection import Transactions
from storage.postgres.connection import operation as _op
from storage.postgres.tables import docs, write
from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.oversight import Closure, Extension, Interview
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.tickets import Ticket, TicketKind


class Supervision:
    group_commit: bool
    tx: Transactions
    cache: ReadCache
    files: Path | None

    @property
    def _c(self) -> psycopg.Connection[Any]:
        return self.tx.conn()

    def _docs(self, sql: str, *params: Any) -> list[codec.Doc]:
        return docs(self._c, sql, *params)

    def _journal(self, entries: list[AuditEntry], log: str | None) -> None:
        write(self._c, "audit", [codec.audit_doc(a) for a in entries], log=log)

    # lasting decisions and tickets
    def _decision(self, table: str, doc: codec.Doc, audit: AuditEntry) -> None:
        """A decision, and its audit entry in its round's trail (or the journal, outside rounds)."""
        self._journal([audit], audit.round_id or None)
        write(self._c, table, [doc])

    @_op
    @reads("extensions")
    def extensions(self) -> list[Extension]:
        return [codec.extension(d) for d in self._docs("SELECT doc FROM extensions ORDER BY seq")]

    @_op
    @writes("extensions", "audit")
    def save_extension(self, extension: Extension, audit: AuditEntry) -> None:
        self._decision("extensions", codec.extension_doc(extension), audit)

    @_op
    @reads("closures")
    def closures(self) -> list[Closure]:
        return [codec.closure(d) for d in self._docs("SELECT doc FROM closures ORDER BY seq")]

    @_op
    @writes("closures", "audit")
    def save_closure(self, closure: Closure, audit: AuditEntry) -> None:
        self._decision("closures", codec.closure_doc(closure), audit)

    @_op
    @reads("interviews")
    def interviews(self) -> list[Interview]:
        found = [codec.interview(d) for d in self._docs("SELECT doc FROM interviews ORDER BY seq")]
        return sorted(found, key=lambda i: i.proposed_at)

    @_op
    @writes("interviews", "audit")
    def save_interview(self, interview: Interview, audit: AuditEntry) -> None:
        self._decision("interviews", codec.interview_doc(interview), audit)

    @_op
    @reads("tickets")
    def tickets(self) -> list[Ticket]:
        return [codec.ticket(d) for d in self._docs("SELECT doc FROM tickets ORDER BY seq")]

    @_op
    @writes("tickets")
    def save_ticket(self, ticket: Ticket) -> None:
        write(self._c, "tickets", [codec.ticket_doc(ticket)])

    @_op
    @writes("tickets")
    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None:
        self._c.execute("DELETE FROM tickets WHERE round_id = ANY(%s) AND kind = %s", (sorted(round_ids), kind.value))

    @_op
    @reads("lasting")
    def lasting_done(self) -> set[str]:
        return {str(d["key"]) for d in self._docs("SELECT doc FROM lasting")}

    @_op
    @writes("lasting")
    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None:
        write(self._c, "lasting", [{"key": key, "totals": totals}])

    @_op
    @reads("lasting")
    def digest_totals(self, key: str) -> dict[str, int] | None:
        found = self._docs("SELECT doc FROM lasting WHERE key = %s", key)
        return dict(found[0]["totals"]) if found and found[0].get("totals") else None

    # 佐证材料
    @_op
    @reads("evidence")
    def evidence(self) -> list[Evidence]:
        found = [evidence_codec.evidence(d) for d in self._docs("SELECT doc FROM evidence ORDER BY seq")]
        return sorted(found, key=lambda e: (e.at, e.id))

    @_op
    @writes("evidence", "audit")
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
    @reads("outbox")
    def intents(self) -> dict[str, Intent]:
        return {i.key: i for i in (codec.intent(d) for d in self._docs("SELECT doc FROM outbox ORDER BY seq"))}

    @_op
    @writes("outbox")
    def save_intent(self, intent: Intent) -> None:
        write(self._c, "outbox", [codec.intent_doc(intent)])

    @_op
    @writes("outbox")
    def clear_intents(self, keys: Iterable[str]) -> None:
        wanted = sorted(set(keys))
        if wanted:
            self._c.execute("DELETE FROM outbox WHERE key = ANY(%s)", (wanted,))
