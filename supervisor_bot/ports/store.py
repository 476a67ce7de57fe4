"""What the services need from storage, grouped by what it stores. Implementations: storage.memory (tests and
fakes) and storage.tinydb_store (the deployment); tests/contract runs the same tests on both.

Durability: a method that writes has finished writing when the *batch* it belongs to is flushed. Without group
commit every write is durable when it returns. With group commit (the deployment) writes stay in memory until
`flush()`, which the service runner calls once after each batch of calls it ran together — and it hands no call's
result back before that flush: nobody is told of a write that could still be lost.

Plans: every record carries its plan's key (`plan`, "" in a one-plan deployment); a round's reports, audit trail,
steps and resolutions are kept with the round, whose id is its plan's own. Bindings and invites belong to no plan.
storage.plan_scope gives each plan of a `[[plans]]` deployment its own view of the one store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

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

EVERY_PLAN = "*"  # delete_prompts(respondent, plan=EVERY_PLAN): a unit's checklists in every plan (a new binding)


class BindingStore(Protocol):
    """Which chat answers for which unit, and the one-time codes that bind them."""

    def bindings(self) -> list[Binding]: ...
    def save_binding(self, binding: Binding, audit: AuditEntry) -> None: ...
    def delete_binding(self, respondent: str, audit: AuditEntry) -> None: ...
    def invite(self, code: str) -> Invite | None: ...
    def save_invite(self, invite: Invite) -> None: ...


class RoundStore(Protocol):
    """Rounds, and each round's own log: reports with their audit trail, and the ladder's steps carried out."""

    def rounds(self) -> list[Round]:
        """Every round, in the order they opened."""
        ...

    def save_round(self, round_: Round) -> None: ...
    def reports(self, round_id: str) -> dict[tuple[int, str], Report]: ...
    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None: ...
    def audit(self, round_id: str | None) -> list[AuditEntry]: ...  # None: changes outside rounds (bindings)
    def done(self, round_id: str) -> set[str]: ...  # keys of the steps carried out, so that none fires twice
    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]: ...
    def record_steps(self, round_id: str, steps: list[tuple[str, list[tuple[int, str]]]], at: dt.datetime) -> None: ...


class ChecklistStore(Protocol):
    """The live round's checklist messages, and notes the bot has asked for and awaits."""

    def prompts(self) -> list[Prompt]: ...
    def prompt(self, prompt_id: str) -> Prompt | None: ...
    def save_prompt(self, prompt: Prompt) -> None: ...
    def save_prompts(self, prompts: list[Prompt]) -> None: ...  # many at once: one write, not one each
    def delete_prompts(self, respondent: str | None = None, plan: str | None = None) -> None: ...  # see EVERY_PLAN
    def pending_note(self, chat_id: ChatId, message_id: MessageId) -> PendingNote | None: ...
    def pending_notes(self, chat_id: ChatId) -> list[PendingNote]: ...  # a chat's, oldest first
    def save_pending_note(self, note: PendingNote) -> None: ...
    def delete_pending_note(self, chat_id: ChatId, message_id: MessageId) -> None: ...


class SupervisionStore(Protocol):
    """Lasting decisions (each with its audit entry, kept with its round if it has one), tickets, and the steps
    that outlive a round (digests, rectification checks) with each digest's totals."""

    def extensions(self) -> list[Extension]: ...
    def save_extension(self, extension: Extension, audit: AuditEntry) -> None: ...
    def closures(self) -> list[Closure]: ...
    def save_closure(self, closure: Closure, audit: AuditEntry) -> None: ...
    def interviews(self) -> list[Interview]: ...
    def save_interview(self, interview: Interview, audit: AuditEntry) -> None: ...
    def resolutions(self, round_id: str) -> list[Resolution]: ...
    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None: ...
    def tickets(self) -> list[Ticket]: ...
    def save_ticket(self, ticket: Ticket) -> None: ...
    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None: ...
    def lasting_done(self) -> set[str]: ...
    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None: ...
    def digest_totals(self, key: str) -> dict[str, int] | None: ...


class EvidenceStore(Protocol):
    """佐证材料: the files liaisons sent, each with its audit entry, kept with its round. A file is downloaded to
    `folder / evidence.path` (the data folder) before `save_evidence`; a database takes it in, in the same
    transaction as its record, so that every machine has it. `evidence_file` makes sure the file is at that path
    — brought from the database where the store keeps files — and says whether it is."""

    def evidence(self) -> list[Evidence]: ...  # in the order they came
    def save_evidence(self, evidence: Evidence, audit: AuditEntry) -> None: ...
    def evidence_file(self, evidence: Evidence, folder: Path) -> bool: ...


class OutboxStore(Protocol):
    """Messages on their way out (see core.outbox): recorded before each send, settled or cleared after it."""

    def intents(self) -> dict[str, Intent]: ...
    def save_intent(self, intent: Intent) -> None: ...
    def clear_intents(self, keys: Iterable[str]) -> None: ...


class PlanStore(Protocol):
    """A revised plan carried into what is stored (core.plan_rekey), with the audit entries that say so — of one
    plan (`plan`), or of every record (None: a one-plan deployment). `adopt`: the records of a one-plan folder
    (they carry no key) become plan `plan`'s, when its settings move to `[[plans]]` — the keys of its steps
    outside rounds and of its messages on their way out become `<plan>/…` (see storage.plan_scope)."""

    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None: ...
    def adopt(self, plan: str) -> None: ...


class Store(
    BindingStore, RoundStore, ChecklistStore, SupervisionStore, EvidenceStore, OutboxStore, PlanStore, Protocol
):
    def flush(self) -> None: ...  # everything written so far, durable (a no-op unless writes are deferred)
    def close(self) -> None: ...  # flushed, and the files brought up to date for the next start
    def next_id(self, name: str, count: int = 1) -> int: ...  # the first of `count` fresh numbers
    def revision(self) -> int | None: ...  # grows with every write (None: not kept, as where others may write)


@runtime_checkable
class AnswersFromMemory(Protocol):
    """A store whose reads and writes touch only memory until `flush` (the files; not a database across the
    network): the service runner may run its quick calls on the event loop (see app.runner)."""

    def pending(self) -> bool: ...  # writes not yet flushed
