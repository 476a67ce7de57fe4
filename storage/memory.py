"""The Store contract kept in memory: for unit tests and the services' fakes."""

from __future__ import annotations

from supervisor_bot.core.bindings import Binding, Invite
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round


class MemoryStore:
    def __init__(self) -> None:
        self._bindings: dict[str, Binding] = {}
        self._invites: dict[str, Invite] = {}
        self._rounds: dict[str, Round] = {}
        self._reports: dict[str, dict[tuple[int, str], Report]] = {}
        self._audit: dict[str | None, list[AuditEntry]] = {}
        self._prompts: dict[str, Prompt] = {}
        self._notes: dict[tuple[int, int], PendingNote] = {}
        self._done: dict[str, set[str]] = {}
        self._counters: dict[str, int] = {}

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

    def delete_prompts(self, respondent: str | None = None) -> None:
        self._prompts = {
            k: p for k, p in self._prompts.items() if respondent is not None and p.respondent != respondent
        }

    def pending_note(self, chat_id: int, message_id: int) -> PendingNote | None:
        return self._notes.get((chat_id, message_id))

    def save_pending_note(self, note: PendingNote) -> None:
        self._notes[(note.chat_id, note.message_id)] = note

    def delete_pending_note(self, chat_id: int, message_id: int) -> None:
        self._notes.pop((chat_id, message_id), None)

    def done(self, round_id: str) -> set[str]:
        return set(self._done.get(round_id, set()))

    def mark_done(self, round_id: str, key: str) -> None:
        self._done.setdefault(round_id, set()).add(key)

    def next_id(self, name: str, count: int = 1) -> int:
        first = self._counters.get(name, 0) + 1
        self._counters[name] = first + count - 1
        return first
