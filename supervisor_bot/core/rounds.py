"""A status round: every responsible department is asked, once, for the status of its measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum


class Opening(StrEnum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"  # a coordinator's /round


@dataclass(frozen=True)
class Round:
    id: str  # 2021-W36 (2025-06 monthly, 2025-Q2 quarterly), or 2021-W36-2 for a second round opened by hand
    week: str  # the period it belongs to: 2021-W36, 2025-06, 2025-Q2
    opened_at: dt.datetime
    due_at: dt.datetime
    opening: Opening = Opening.SCHEDULED
    closed_at: dt.datetime | None = None
    plan: str = ""  # the plan's key ([[plans]] key); "" in a one-plan deployment

    def is_open(self, now: dt.datetime) -> bool:
        return self.opened_at <= now and (self.closed_at is None or now < self.closed_at)

    def is_past_due(self, now: dt.datetime) -> bool:
        return now >= self.due_at

    def closed(self, at: dt.datetime) -> Round:
        return replace(self, closed_at=at)


def round_id(week: str, plan: str = "") -> str:
    """A scheduled round's id: its period, after its plan's key in a deployment of several plans
    (`营商环境-2025-06`): ids, round files and evidence folders are unique across plans."""
    return f"{plan}-{week}" if plan else week


def next_round_id(week: str, existing: list[Round], plan: str = "") -> str:
    """`2021-W36`, then `2021-W36-2`, `2021-W36-3` … for rounds opened by hand in the same week."""
    first = round_id(week, plan)
    taken = {r.id for r in existing}
    if first not in taken:
        return first
    n = 2
    while f"{first}-{n}" in taken:
        n += 1
    return f"{first}-{n}"


def current_round(rounds: list[Round] | tuple[Round, ...]) -> Round | None:
    """The latest round opened (open or not)."""
    return max(rounds, key=lambda r: r.opened_at, default=None)
