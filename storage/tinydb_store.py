"""The Store: current state in a small TinyDB file, state.json, plus one append-only log per round under rounds/.

A round's log holds its events — reports with their audit entries, and the keys of actions carried out. A write
appends a line to the live round's log (storage.event_log) and is never touched once the round is over, so a
report costs the same after five years, and at the end of a busy round, as in week one. A change to state.json
appends the documents it changed to state.jsonl beside it (storage.state_storage), which is folded back into
state.json, atomically, once it outgrows it: a pending note costs the same beside five years of rounds and 约谈.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from tinydb import TinyDB, where

from storage import binding_codec, codec, evidence_codec
from storage.atomic_storage import AtomicJSONStorage
from storage.backup import WriteLock
from storage.decoded_tables import DecodedTables
from storage.handled_updates import HandledUpdates
from storage.plan_change import adopt_state, rekey_state
from storage.round_files import RoundFiles
from storage.state_storage import JournaledJSONStorage
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


def _storage(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


def _key(doc: codec.Doc) -> str:
    return str(doc["key"])


class TinyStore:
    """`group_commit`: writes stay in memory until `flush()`, which the service runner calls once per batch
    of calls — before it reports any of them done. Without it every write is on disk when the call returns."""

    def __init__(self, data_dir: Path, group_commit: bool = False) -> None:
        self.data_dir = data_dir
        self.group_commit = group_commit
        data_dir.mkdir(parents=True, exist_ok=True)
        self._state = TinyDB(data_dir / "state.json", storage=JournaledJSONStorage, deferred=group_commit)
        self._rounds = RoundFiles(data_dir / "rounds", deferred=group_commit)
        self._tables = DecodedTables(self._state)
        self._handled = HandledUpdates(data_dir / "updates.jsonl")
        self._lock = WriteLock(data_dir)  # a backup (storage.backup) copies the files between two flushes

    def flush(self) -> None:
        """Everything written so far, on disk: the round logs first — the live one carrying the ids of the
        updates handled — then the state that points at them. If a write fails, what is in memory is dropped
        and read again from the files: the files are the truth."""
        logs = self._rounds.dirty_logs()
        state = _storage(self._state)
        if not (state.dirty or logs):
            return
        try:
            handled = self._handled.take() if logs else []
            if handled:
                logs[-1].append([{"kind": "handled", "ids": handled}])
            with self._lock.held():
                self._handled.flush()  # the ids of a batch that writes only state.json
                for log in logs:
                    log.flush()
                state.flush()
        except BaseException:
            self._rounds.clear()
            raise

    def pending(self) -> bool:  # (the ids of updates handled alone are not: they wait for the next write)
        return _storage(self._state).dirty or bool(self._rounds.dirty_logs())

    def revision(self) -> int:
        return _storage(self._state).writes + self._rounds.writes

    def close(self) -> None:
        with self._lock.held():
            self._handled.flush()
            self._rounds.close()
            self._state.close()
        self._lock.close()

    # bindings
    def bindings(self) -> list[Binding]:
        return self._tables.read("bindings", binding_codec.binding)

    def save_binding(self, binding: Binding, audit: AuditEntry) -> None:
        self._state.table("journal").insert(codec.audit_doc(audit))
        self._state.table("bindings").upsert(
            binding_codec.binding_doc(binding), where("respondent") == binding.respondent
        )

    def delete_binding(self, respondent: str, audit: AuditEntry) -> None:
        self._state.table("journal").insert(codec.audit_doc(audit))
        self._state.table("bindings").remove(where("respondent") == respondent)

    # invites
    def invite(self, code: str) -> Invite | None:
        found = self._state.table("invites").get(where("code") == code)
        return binding_codec.invite(dict(found)) if isinstance(found, dict) else None

    def save_invite(self, invite: Invite) -> None:
        self._state.table("invites").upsert(binding_codec.invite_doc(invite), where("code") == invite.code)

    # rounds
    def rounds(self) -> list[Round]:
        return self._tables.read("rounds", codec.round_, order=lambda r: r.opened_at)

    def save_round(self, round_: Round) -> None:
        self._state.table("rounds").upsert(codec.round_doc(round_), where("id") == round_.id)

    # a round's reports and audit trail
    def reports(self, round_id: str) -> dict[tuple[int, str], Report]:
        return dict(self._rounds.get(round_id).reports)

    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None:
        events = [{"kind": "report", "report": codec.report_doc(r)} for r in reports]
        events += [{"kind": "audit", "entry": codec.audit_doc(a)} for a in audit]
        self._rounds.append(round_id, events)

    def audit(self, round_id: str | None) -> list[AuditEntry]:
        if round_id is None:
            return [codec.audit(dict(d)) for d in self._state.table("journal").all()]
        return list(self._rounds.get(round_id).audit)

    # the live round's prompts, and pending notes
    def prompts(self) -> list[Prompt]:
        return self._tables.read("prompts", codec.prompt)

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self._tables.read("prompts", codec.prompt) if p.id == prompt_id), None)

    def save_prompt(self, prompt: Prompt) -> None:
        self._state.table("prompts").upsert(codec.prompt_doc(prompt), where("id") == prompt.id)

    def save_prompts(self, prompts: list[Prompt]) -> None:
        table = self._state.table("prompts")
        ids = {p.id for p in prompts}
        if any(doc["id"] in ids for doc in table.all()):
            table.remove(where("id").one_of(sorted(ids)))
        table.insert_multiple(codec.prompt_doc(p) for p in prompts)

    def delete_prompts(self, respondent: str | None = None, plan: str | None = None) -> None:
        table = self._state.table("prompts")
        if respondent is None and plan in (None, EVERY_PLAN):
            table.truncate()
            return
        every = plan in (None, EVERY_PLAN)
        mine = (d for d in table.all() if every or d.get("plan", "") == plan)
        table.remove(doc_ids=[d.doc_id for d in mine if respondent is None or d["respondent"] == respondent])

    def pending_note(self, chat_id: ChatId, message_id: MessageId) -> PendingNote | None:
        found = self._state.table("notes").get((where("chat_id") == chat_id) & (where("message_id") == message_id))
        return codec.note(dict(found)) if isinstance(found, dict) else None

    def pending_notes(self, chat_id: ChatId) -> list[PendingNote]:
        found = self._state.table("notes").search(where("chat_id") == chat_id)
        return sorted((codec.note(dict(d)) for d in found), key=lambda n: n.at)

    def save_pending_note(self, note: PendingNote) -> None:
        self._state.table("notes").upsert(
            codec.note_doc(note), (where("chat_id") == note.chat_id) & (where("message_id") == note.message_id)
        )

    def delete_pending_note(self, chat_id: ChatId, message_id: MessageId) -> None:
        self._state.table("notes").remove((where("chat_id") == chat_id) & (where("message_id") == message_id))

    # actions carried out
    def done(self, round_id: str) -> set[str]:
        return set(self._rounds.get(round_id).done)

    # counters
    def next_id(self, name: str, count: int = 1) -> int:
        table = self._state.table("counters")
        found = table.get(where("name") == name)
        first = int(found["value"]) + 1 if isinstance(found, dict) else 1
        table.upsert({"name": name, "value": first + count - 1}, where("name") == name)
        return first

    # supervision: lasting decisions
    def _with_audit(self, table: str, doc: codec.Doc, audit: AuditEntry, *key: str) -> None:
        """A supervision decision (one per `key`) and its audit entry: the entry goes to its round's file, so
        state.json stays small; an entry that belongs to no round goes to the journal."""
        if audit.round_id:
            self._rounds.append(audit.round_id, [{"kind": "audit", "entry": codec.audit_doc(audit)}])
        else:
            self._state.table("journal").insert(codec.audit_doc(audit))
        self._tables.upsert(table, doc, *key)

    def extensions(self) -> list[Extension]:
        return self._tables.read("extensions", codec.extension)

    def save_extension(self, extension: Extension, audit: AuditEntry) -> None:
        self._with_audit("extensions", codec.extension_doc(extension), audit, "plan", "measure", "respondent")

    def closures(self) -> list[Closure]:
        return self._tables.read("closures", codec.closure)

    def save_closure(self, closure: Closure, audit: AuditEntry) -> None:
        self._with_audit("closures", codec.closure_doc(closure), audit, "plan", "measure", "respondent")

    def interviews(self) -> list[Interview]:
        return self._tables.read("interviews", codec.interview, order=lambda i: i.proposed_at)

    def save_interview(self, interview: Interview, audit: AuditEntry) -> None:
        self._with_audit("interviews", codec.interview_doc(interview), audit, "plan", "respondent", "proposed_at")

    def tickets(self) -> list[Ticket]:
        return self._tables.read("tickets", codec.ticket)

    def save_ticket(self, ticket: Ticket) -> None:
        self._tables.upsert("tickets", codec.ticket_doc(ticket), "id")

    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None:
        if round_ids:
            self._state.table("tickets").remove(
                where("round_id").one_of(sorted(round_ids)) & (where("kind") == kind.value)
            )

    # supervision within a round
    def resolutions(self, round_id: str) -> list[Resolution]:
        return list(self._rounds.get(round_id).resolutions)

    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None:
        self._rounds.append(
            resolution.round_id,
            [
                {"kind": "resolution", "resolution": codec.resolution_doc(resolution)},
                {"kind": "audit", "entry": codec.audit_doc(audit)},
            ],
        )

    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]:
        return dict(self._rounds.get(round_id).escalated)

    def record_steps(self, round_id: str, steps: list[tuple[str, list[tuple[int, str]]]], at: dt.datetime) -> None:
        when = codec.when(at)
        self._rounds.append(
            round_id, [{"kind": "step", "key": k, "items": [list(i) for i in items], "at": when} for k, items in steps]
        )

    # lasting steps
    def lasting_done(self) -> set[str]:
        return set(self._tables.read("lasting", _key))

    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None:
        self._tables.upsert("lasting", {"key": key, "totals": totals}, "key")

    def digest_totals(self, key: str) -> dict[str, int] | None:
        found = self._state.table("lasting").get(where("key") == key)
        return dict(found["totals"]) if isinstance(found, dict) and found.get("totals") else None

    # 佐证材料
    def evidence(self) -> list[Evidence]:
        return self._tables.read("evidence", evidence_codec.evidence, order=lambda e: (e.at, e.id))

    def save_evidence(self, evidence: Evidence, audit: AuditEntry) -> None:
        self._with_audit("evidence", evidence_codec.evidence_doc(evidence), audit, "id")

    def evidence_file(self, evidence: Evidence, folder: Path) -> bool:
        return (folder / evidence.path).is_file()  # the files stay in the data folder

    # messages on their way out
    def intents(self) -> dict[str, Intent]:
        return {i.key: i for i in self._tables.read("outbox", codec.intent)}

    def save_intent(self, intent: Intent) -> None:
        self._tables.upsert("outbox", codec.intent_doc(intent), "key")

    def clear_intents(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        if wanted:
            self._state.table("outbox").remove(where("key").one_of(list(wanted)))

    # a revised plan
    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None:
        for round_ in self.rounds():
            if plan is None or round_.plan == plan:
                self._rounds.append(round_.id, [{"kind": "plan", "rekeying": change.to_doc()}])
        rekey_state(self._state, change, plan)
        self._state.table("journal").insert_multiple(codec.audit_doc(a) for a in audit)

    def adopt(self, plan: str) -> None:
        adopt_state(self._state, plan)

    # Telegram updates already handled
    def handled_updates(self) -> set[int]:
        for round_ in self.rounds()[-2:]:  # a crash interrupts the live round (or the one it just closed)
            self._handled.remember(self._rounds.get(round_.id).handled)
        return self._handled.ids()

    def mark_update_handled(self, update_id: int) -> None:
        self._handled.add(update_id)
