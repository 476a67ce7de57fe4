"""The Store contract kept in memory: for unit tests and the services' fakes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from supervisor_bot.core import plan_rekey
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


class Keyed(Protocol):
    @property
    def plan(self) -> str: ...


class MemoryStore:
    def __init__(self) -> None:
        self._bindings: dict[str, Binding] = {}
        self._invites: dict[str, Invite] = {}
        self._rounds: dict[str, Round] = {}
        self._reports: dict[str, dict[tuple[int, str], Report]] = {}
        self._audit: dict[str | None, list[AuditEntry]] = {}
        self._prompts: dict[str, Prompt] = {}
        self._notes: dict[tuple[ChatId, MessageId], PendingNote] = {}
        self._done: dict[str, set[str]] = {}
        self._counters: dict[str, int] = {}
        self._extensions: dict[tuple[str, int, str], Extension] = {}  # by (plan, measure, respondent)
        self._closures: dict[tuple[str, int, str], Closure] = {}
        self._interviews: dict[tuple[str, str, dt.datetime], Interview] = {}
        self._tickets: dict[str, Ticket] = {}
        self._resolutions: dict[str, list[Resolution]] = {}
        self._escalated: dict[str, dict[tuple[int, str], dt.datetime]] = {}
        self._lasting: dict[str, dict[str, int] | None] = {}
        self._handled: set[int] = set()
        self._intents: dict[str, Intent] = {}
        self._evidence: list[Evidence] = []

    def flush(self) -> None:
        """Nothing to make durable."""

    def pending(self) -> bool:
        return False

    def revision(self) -> None:
        """Not kept: a store for tests, whose answers are worked out afresh each time."""

    def close(self) -> None:
        """Nothing to close."""

    def bindings(self) -> list[Binding]:
        return list(self._bindings.values())

    def save_binding(self, binding: Binding, audit: AuditEntry) -> None:
        self._bindings[binding.respondent] = binding
        self._audit.setdefault(None, []).append(audit)

    def delete_binding(self, respondent: str, audit: AuditEntry) -> None:
        self._bindings.pop(respondent, None)
        self._audit.setdefault(None, []).append(audit)

    def invite(self, code: str) -> Invite | None:
        return self._invites.get(code)

    def save_invite(self, invite: Invite) -> None:
        self._invites[invite.code] = invite

    def rounds(self) -> list[Round]:
        return sorted(self._rounds.values(), key=lambda r: r.opened_at)

    def save_round(self, round_: Round) -> None:
        self._rounds[round_.id] = round_

    def reports(self, round_id: str) -> dict[tuple[int, str], Report]:
        return dict(self._reports.get(round_id, {}))

    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None:
        stored = self._reports.setdefault(round_id, {})
        for report in reports:
            stored[report.key] = report
        self._audit.setdefault(round_id, []).extend(audit)

    def audit(self, round_id: str | None) -> list[AuditEntry]:
        return list(self._audit.get(round_id, []))

    def prompts(self) -> list[Prompt]:
        return list(self._prompts.values())

    def prompt(self, prompt_id: str) -> Prompt | None:
        return self._prompts.get(prompt_id)

    def save_prompt(self, prompt: Prompt) -> None:
        self._prompts[prompt.id] = prompt

    def save_prompts(self, prompts: list[Prompt]) -> None:
        for prompt in prompts:
            self._prompts[prompt.id] = prompt

    def delete_prompts(self, respondent: str | None = None, plan: str | None = None) -> None:
        def deleted(p: Prompt) -> bool:
            return (respondent is None or p.respondent == respondent) and (plan in (None, EVERY_PLAN) or p.plan == plan)

        self._prompts = {k: p for k, p in self._prompts.items() if not deleted(p)}

    def pending_note(self, chat_id: ChatId, message_id: MessageId) -> PendingNote | None:
        return self._notes.get((chat_id, message_id))

    def pending_notes(self, chat_id: ChatId) -> list[PendingNote]:
        return sorted((n for n in self._notes.values() if n.chat_id == chat_id), key=lambda n: n.at)

    def save_pending_note(self, note: PendingNote) -> None:
        self._notes[(note.chat_id, note.message_id)] = note

    def delete_pending_note(self, chat_id: ChatId, message_id: MessageId) -> None:
        self._notes.pop((chat_id, message_id), None)

    def done(self, round_id: str) -> set[str]:
        return set(self._done.get(round_id, set()))

    def next_id(self, name: str, count: int = 1) -> int:
        first = self._counters.get(name, 0) + 1
        self._counters[name] = first + count - 1
        return first

    def extensions(self) -> list[Extension]:
        return list(self._extensions.values())

    def save_extension(self, extension: Extension, audit: AuditEntry) -> None:
        self._extensions[(extension.plan, extension.measure, extension.respondent)] = extension
        self._audit.setdefault(audit.round_id, []).append(audit)

    def closures(self) -> list[Closure]:
        return list(self._closures.values())

    def save_closure(self, closure: Closure, audit: AuditEntry) -> None:
        self._closures[(closure.plan, closure.measure, closure.respondent)] = closure
        self._audit.setdefault(audit.round_id, []).append(audit)

    def interviews(self) -> list[Interview]:
        return sorted(self._interviews.values(), key=lambda i: i.proposed_at)

    def save_interview(self, interview: Interview, audit: AuditEntry) -> None:
        self._interviews[(interview.plan, interview.respondent, interview.proposed_at)] = interview
        self._audit.setdefault(audit.round_id, []).append(audit)

    def tickets(self) -> list[Ticket]:
        return list(self._tickets.values())

    def save_ticket(self, ticket: Ticket) -> None:
        self._tickets[ticket.id] = ticket

    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None:
        self._tickets = {k: t for k, t in self._tickets.items() if t.round_id not in round_ids or t.kind is not kind}

    def resolutions(self, round_id: str) -> list[Resolution]:
        return list(self._resolutions.get(round_id, []))

    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None:
        self._resolutions.setdefault(resolution.round_id, []).append(resolution)
        self._audit.setdefault(resolution.round_id, []).append(audit)

    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]:
        return dict(self._escalated.get(round_id, {}))

    def record_steps(self, round_id: str, steps: list[tuple[str, list[tuple[int, str]]]], at: dt.datetime) -> None:
        for key, items in steps:
            self._done.setdefault(round_id, set()).add(key)
            if key.startswith("escalate:"):
                stored = self._escalated.setdefault(round_id, {})
                for item in items:
                    stored.setdefault(item, at)

    def lasting_done(self) -> set[str]:
        return set(self._lasting)

    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None:
        self._lasting[key] = totals

    def digest_totals(self, key: str) -> dict[str, int] | None:
        return self._lasting.get(key)

    def handled_updates(self) -> set[int]:
        return set(self._handled)

    def mark_update_handled(self, update_id: int) -> None:
        self._handled.add(update_id)

    def evidence(self) -> list[Evidence]:
        return sorted(self._evidence, key=lambda e: (e.at, e.id))

    def save_evidence(self, evidence: Evidence, audit: AuditEntry) -> None:
        self._evidence.append(evidence)
        self._audit.setdefault(audit.round_id, []).append(audit)

    def evidence_file(self, evidence: Evidence, folder: Path) -> bool:
        return (folder / evidence.path).is_file()  # the files stay in the data folder

    def intents(self) -> dict[str, Intent]:
        return dict(self._intents)

    def save_intent(self, intent: Intent) -> None:
        self._intents[intent.key] = intent

    def clear_intents(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._intents.pop(key, None)

    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None:
        def ours(value: Keyed) -> bool:
            return plan is None or value.plan == plan

        rounds = {r.id for r in self._rounds.values() if ours(r)}
        for round_id in rounds & set(self._reports):
            moved = (plan_rekey.report(change, r) for r in self._reports[round_id].values())
            self._reports[round_id] = {r.key: r for r in moved if r is not None}
        for key, entries in self._audit.items():
            if key is None or key in rounds:
                changed = (plan_rekey.audit(change, a) if key is not None or ours(a) else a for a in entries)
                self._audit[key] = [a for a in changed if a is not None]
        for round_id in rounds & set(self._resolutions):
            found = self._resolutions[round_id]
            self._resolutions[round_id] = [r for r in (plan_rekey.resolution(change, r) for r in found) if r]
        for round_id in rounds & set(self._escalated):
            self._escalated[round_id] = plan_rekey.escalated(change, self._escalated[round_id])
        extensions = (plan_rekey.extension(change, e) if ours(e) else e for e in self._extensions.values())
        self._extensions = {(e.plan, e.measure, e.respondent): e for e in extensions if e is not None}
        closures = (plan_rekey.closure(change, c) if ours(c) else c for c in self._closures.values())
        self._closures = {(c.plan, c.measure, c.respondent): c for c in closures if c is not None}
        tickets = (plan_rekey.ticket(change, t) if ours(t) else t for t in self._tickets.values())
        self._tickets = {t.id: t for t in tickets if t is not None}
        self._interviews = {k: plan_rekey.interview(change, i) if ours(i) else i for k, i in self._interviews.items()}
        notes = ((k, plan_rekey.note(change, n) if ours(n) else n) for k, n in self._notes.items())
        self._notes = {k: n for k, n in notes if n}
        self._audit.setdefault(None, []).extend(audit)

    def adopt(self, plan: str) -> None:
        """A one-plan store's records become plan `plan`'s (see ports.store.PlanStore)."""
        self._rounds = {k: replace(r, plan=r.plan or plan) for k, r in self._rounds.items()}
        self._prompts = {k: replace(p, plan=p.plan or plan) for k, p in self._prompts.items()}
        self._notes = {k: replace(n, plan=n.plan or plan) for k, n in self._notes.items()}
        self._extensions = {
            (e.plan or plan, *k[1:]): replace(e, plan=e.plan or plan) for k, e in self._extensions.items()
        }
        self._closures = {(c.plan or plan, *k[1:]): replace(c, plan=c.plan or plan) for k, c in self._closures.items()}
        self._interviews = {
            (i.plan or plan, *k[1:]): replace(i, plan=i.plan or plan) for k, i in self._interviews.items()
        }
        self._tickets = {k: replace(t, plan=t.plan or plan) for k, t in self._tickets.items()}
        self._evidence = [replace(e, plan=e.plan or plan) for e in self._evidence]

        def mine(key: str) -> str:
            return key if key.startswith(f"{plan}/") else f"{plan}/{key}"

        self._lasting = {mine(k): v for k, v in self._lasting.items()}
        self._intents = {mine(k): replace(i, key=mine(k)) for k, i in self._intents.items()}
        self._audit[None] = [
            replace(a, plan=plan) if not a.plan and a.measure is not None else a for a in self._audit.get(None, [])
        ]
