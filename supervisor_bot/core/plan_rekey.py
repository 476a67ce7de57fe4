"""Stored values carried over a revised plan: each follows its measure to the measure's new number; what belonged
to a removed measure leaves the live data (it stays, untouched, in the round logs and the archived plan); a unit
taken off a measure hands its open items (延期, 督办单 items, notes awaited) to the unit that takes over, or they close."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from supervisor_bot.core.oversight import Closure, Extension, Interview, Resolution
from supervisor_bot.core.plan_diff import PlanDiff
from supervisor_bot.core.prompts import PendingNote
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.tickets import Ticket

Item = tuple[int, str]  # (measure, unit)


@dataclass(frozen=True)
class Rekeying:
    moves: Mapping[int, int] = field(default_factory=dict)  # old number → new
    dropped: frozenset[int] = frozenset()  # old numbers of measures removed
    handed: Mapping[Item, str] = field(default_factory=dict)  # (new number, unit off) → unit on
    closed: frozenset[Item] = frozenset()  # (new number, unit off) with none in its place

    def number(self, old: int) -> int | None:
        return None if old in self.dropped else self.moves.get(old, old)

    def item(self, key: Item) -> Item | None:
        number = self.number(key[0])
        return (number, key[1]) if number is not None else None

    def to_doc(self) -> dict[str, Any]:
        return {
            "moves": [[a, b] for a, b in self.moves.items()],
            "dropped": sorted(self.dropped),
            "handed": [[m, u, v] for (m, u), v in self.handed.items()],
            "closed": [[m, u] for m, u in sorted(self.closed)],
        }

    @staticmethod
    def from_doc(doc: Mapping[str, Any]) -> Rekeying:
        return Rekeying(
            {int(a): int(b) for a, b in doc["moves"]},
            frozenset(int(m) for m in doc["dropped"]),
            {(int(m), str(u)): str(v) for m, u, v in doc["handed"]},
            frozenset((int(m), str(u)) for m, u in doc["closed"]),
        )


def rekeying(diff: PlanDiff) -> Rekeying:
    handed: dict[Item, str] = {}
    closed: set[Item] = set()
    for change in diff.changes:
        if change.old is None or change.new is None:
            continue
        handed.update(((change.new.number, off), on) for off, on in change.handed)
        closed.update((change.new.number, off) for off in change.closed)
    return Rekeying(diff.moves, diff.dropped, handed, frozenset(closed))


def report(rk: Rekeying, value: Report) -> Report | None:
    number = rk.number(value.measure)
    return replace(value, measure=number) if number is not None else None


def audit(rk: Rekeying, value: AuditEntry) -> AuditEntry | None:
    if value.measure is None:
        return value
    number = rk.number(value.measure)
    return replace(value, measure=number) if number is not None else None


def resolution(rk: Rekeying, value: Resolution) -> Resolution | None:
    number = rk.number(value.measure)
    return replace(value, measure=number) if number is not None else None


def closure(rk: Rekeying, value: Closure) -> Closure | None:
    number = rk.number(value.measure)
    return replace(value, measure=number) if number is not None else None


def _open_item(rk: Rekeying, measure: int, unit: str) -> Item | None:
    """An open item's new key: its measure's new number, the unit that takes it over; None if it closes."""
    number = rk.number(measure)
    if number is None or (number, unit) in rk.closed:
        return None
    return number, rk.handed.get((number, unit), unit)


def extension(rk: Rekeying, value: Extension) -> Extension | None:
    found = _open_item(rk, value.measure, value.respondent)
    return replace(value, measure=found[0], respondent=found[1]) if found is not None else None


def note(rk: Rekeying, value: PendingNote) -> PendingNote | None:
    """A note awaited from a unit that no longer answers for the measure is no longer awaited."""
    number = rk.number(value.measure)
    if number is None or (number, value.respondent) in rk.closed or (number, value.respondent) in rk.handed:
        return None
    return replace(value, measure=number)


def ticket(rk: Rekeying, value: Ticket) -> Ticket | None:
    """A 督办单 keeps the items its unit still answers for; the others go with their unit's duty."""
    kept = []
    for measure in value.measures:
        number = rk.number(measure)
        if number is not None and (number, value.respondent) not in rk.closed | rk.handed.keys():
            kept.append(number)
    return replace(value, measures=tuple(kept)) if kept else None


def interview(rk: Rekeying, value: Interview) -> Interview:
    items = tuple(n for n in (rk.number(m) for m in value.items) if n is not None)
    return replace(value, items=items)


def escalated(rk: Rekeying, at: Mapping[Item, Any]) -> dict[Item, Any]:
    out = {}
    for key, when in at.items():
        new = rk.item(key)
        if new is not None:
            out[new] = when
    return out
