"""One plan's view of a store that several plans share (`[[plans]]`): every service runs on a plan's view as it
ran on the whole store of a one-plan deployment.

What a view reads is its plan's own (each record carries its plan's key); what it writes is stamped with the key.
Bindings and invites are the office's, shared by every plan: one bound group per department serves them all.
A round's reports, audit trail, steps and resolutions are kept with the round, whose id is the plan's own
(`营商环境-2025-06`). Keys of steps outside rounds and of messages on their way out are the plan's: `<key>/…`.
Any Store implementation (TinyDB today, SQL later) needs only to keep the key with each record, to delete prompts
and carry a plan revision within one plan (`plan=`), and to give records of a one-plan folder a key (`adopt`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Protocol, TypeVar

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
from supervisor_bot.ports.store import EVERY_PLAN, Store


class _Keyed(Protocol):
    @property
    def plan(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


class PlanScope:
    """The records of plan `plan` in `store`; `close` leaves the shared store open (its owner closes it)."""

    def __init__(self, store: Store, plan: str) -> None:
        self.store = store
        self.plan = plan
        self._prefix = f"{plan}/"

    def _ours(self, values: Iterable[K]) -> list[K]:
        return [v for v in values if v.plan == self.plan]

    def _audit(self, entry: AuditEntry) -> AuditEntry:
        return entry if entry.plan == self.plan else replace(entry, plan=self.plan)

    def flush(self) -> None:
        self.store.flush()

    def revision(self) -> int | None:
        return self.store.revision()

    def close(self) -> None:
        """The shared store stays open."""

    def next_id(self, name: str, count: int = 1) -> int:
        return self.store.next_id(name, count)

    # the office's: shared by every plan
    def bindings(self) -> list[Binding]:
        return self.store.bindings()

    def save_binding(self, binding: Binding, audit: AuditEntry) -> None:
        self.store.save_binding(binding, audit)

    def delete_binding(self, respondent: str, audit: AuditEntry) -> None:
        self.store.delete_binding(respondent, audit)

    def invite(self, code: str) -> Invite | None:
        return self.store.invite(code)

    def save_invite(self, invite: Invite) -> None:
        self.store.save_invite(invite)

    # rounds, and what is kept with each (a round's id is its plan's own)
    def rounds(self) -> list[Round]:
        return self._ours(self.store.rounds())

    def save_round(self, round_: Round) -> None:
        self.store.save_round(replace(round_, plan=self.plan))

    def reports(self, round_id: str) -> dict[tuple[int, str], Report]:
        return self.store.reports(round_id)

    def save_reports(self, round_id: str, reports: list[Report], audit: list[AuditEntry]) -> None:
        self.store.save_reports(round_id, reports, [self._audit(a) for a in audit])

    def audit(self, round_id: str | None) -> list[AuditEntry]:
        """A round's trail; outside rounds, this plan's entries and the office's (bindings: every plan's)."""
        found = self.store.audit(round_id)
        return [a for a in found if a.plan in ("", self.plan)] if round_id is None else found

    def done(self, round_id: str) -> set[str]:
        return self.store.done(round_id)

    def escalated(self, round_id: str) -> dict[tuple[int, str], dt.datetime]:
        return self.store.escalated(round_id)

    def record_steps(self, round_id: str, steps: list[tuple[str, list[tuple[int, str]]]], at: dt.datetime) -> None:
        self.store.record_steps(round_id, steps, at)

    def resolutions(self, round_id: str) -> list[Resolution]:
        return self.store.resolutions(round_id)

    def save_resolution(self, resolution: Resolution, audit: AuditEntry) -> None:
        self.store.save_resolution(resolution, self._audit(audit))

    # checklists and the notes awaited
    def prompts(self) -> list[Prompt]:
        return self._ours(self.store.prompts())

    def prompt(self, prompt_id: str) -> Prompt | None:
        found = self.store.prompt(prompt_id)
        return found if found is not None and found.plan == self.plan else None

    def save_prompt(self, prompt: Prompt) -> None:
        self.store.save_prompt(replace(prompt, plan=self.plan))

    def save_prompts(self, prompts: list[Prompt]) -> None:
        self.store.save_prompts([replace(p, plan=self.plan) for p in prompts])

    def delete_prompts(self, respondent: str | None = None, plan: str | None = None) -> None:
        """This plan's (EVERY_PLAN: the unit's in every plan, when its binding changed)."""
        self.store.delete_prompts(respondent, plan=None if plan == EVERY_PLAN else self.plan)

    def pending_note(self, chat_id: ChatId, message_id: MessageId) -> PendingNote | None:
        found = self.store.pending_note(chat_id, message_id)
        return found if found is not None and found.plan == self.plan else None

    def pending_notes(self, chat_id: ChatId) -> list[PendingNote]:
        return self._ours(self.store.pending_notes(chat_id))

    def save_pending_note(self, note: PendingNote) -> None:
        self.store.save_pending_note(replace(note, plan=self.plan))

    def delete_pending_note(self, chat_id: ChatId, message_id: MessageId) -> None:
        if self.pending_note(chat_id, message_id) is not None:
            self.store.delete_pending_note(chat_id, message_id)

    # supervision
    def extensions(self) -> list[Extension]:
        return self._ours(self.store.extensions())

    def save_extension(self, extension: Extension, audit: AuditEntry) -> None:
        self.store.save_extension(replace(extension, plan=self.plan), self._audit(audit))

    def closures(self) -> list[Closure]:
        return self._ours(self.store.closures())

    def save_closure(self, closure: Closure, audit: AuditEntry) -> None:
        self.store.save_closure(replace(closure, plan=self.plan), self._audit(audit))

    def interviews(self) -> list[Interview]:
        return self._ours(self.store.interviews())

    def save_interview(self, interview: Interview, audit: AuditEntry) -> None:
        self.store.save_interview(replace(interview, plan=self.plan), self._audit(audit))

    def tickets(self) -> list[Ticket]:
        return self._ours(self.store.tickets())

    def save_ticket(self, ticket: Ticket) -> None:
        self.store.save_ticket(replace(ticket, plan=self.plan))

    def delete_tickets(self, round_ids: set[str], kind: TicketKind) -> None:
        self.store.delete_tickets({r.id for r in self.rounds()} & round_ids, kind)

    def lasting_done(self) -> set[str]:
        n = len(self._prefix)
        return {k[n:] for k in self.store.lasting_done() if k.startswith(self._prefix)}

    def mark_lasting_done(self, key: str, totals: dict[str, int] | None = None) -> None:
        self.store.mark_lasting_done(self._prefix + key, totals)

    def digest_totals(self, key: str) -> dict[str, int] | None:
        return self.store.digest_totals(self._prefix + key)

    # 佐证材料
    def evidence(self) -> list[Evidence]:
        return self._ours(self.store.evidence())

    def save_evidence(self, evidence: Evidence, audit: AuditEntry) -> None:
        self.store.save_evidence(replace(evidence, plan=self.plan), self._audit(audit))

    def evidence_file(self, evidence: Evidence, folder: Path) -> bool:
        return self.store.evidence_file(evidence, folder)

    # messages on their way out
    def intents(self) -> dict[str, Intent]:
        n = len(self._prefix)
        return {k[n:]: replace(i, key=k[n:]) for k, i in self.store.intents().items() if k.startswith(self._prefix)}

    def save_intent(self, intent: Intent) -> None:
        self.store.save_intent(replace(intent, key=self._prefix + intent.key))

    def clear_intents(self, keys: Iterable[str]) -> None:
        self.store.clear_intents([self._prefix + k for k in keys])

    # a revised plan
    def apply_plan_change(self, change: Rekeying, audit: list[AuditEntry], plan: str | None = None) -> None:
        self.store.apply_plan_change(change, [self._audit(a) for a in audit], plan=self.plan)

    def adopt(self, plan: str) -> None:
        """A view holds one plan's records already: nothing to adopt."""
