"""Answers to /status and /overdue, from the matrix and a round's reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from supervisor_bot.core.matrix import Matrix, Measure, Role
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import Respondent, respondents
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status


@dataclass(frozen=True)
class Item:
    """One measure × one respondent in a round."""

    measure: Measure
    respondent: Respondent
    role: Role
    report: Report | None

    @property
    def status(self) -> Status | None:
        return self.report.status if self.report is not None else None


Reports = Mapping[tuple[int, str], Report]


def items(matrix: Matrix, reports: Reports, only: set[str] | None = None) -> list[Item]:
    """Every item of a round in plan order; `only` limits it to some respondents."""
    out = []
    for respondent in respondents(matrix):
        if only is not None and respondent.name not in only:
            continue
        for measure, role in matrix.roles_of(respondent.department):  # its duties, as core.respondents.duties
            if not matrix.asks(role):  # has them (without a Duty made for each)
                continue
            out.append(Item(measure, respondent, role, reports.get((measure.number, respondent.name))))
    out.sort(key=lambda i: i.measure.number)
    return out


@dataclass(frozen=True)
class Tally:
    total: int
    by_status: dict[Status, int]
    unreported: int

    @property
    def reported(self) -> int:
        return self.total - self.unreported


def tally(selected: list[Item]) -> Tally:
    by_status = dict.fromkeys(Status, 0)
    unreported = 0
    for item in selected:
        if item.status is None:
            unreported += 1
        else:
            by_status[item.status] += 1
    return Tally(len(selected), by_status, unreported)


def unreported(selected: list[Item]) -> list[Item]:
    return [i for i in selected if i.report is None]


def overdue(selected: list[Item], round_: Round, now: dt.datetime) -> list[Item]:
    """Items not reported by the round's due time (only once it has passed)."""
    return unreported(selected) if round_.is_past_due(now) else []


def by_respondent(selected: list[Item]) -> dict[str, list[Item]]:
    grouped: dict[str, list[Item]] = {}
    for item in selected:
        grouped.setdefault(item.respondent.name, []).append(item)
    return grouped


@dataclass(frozen=True)
class Figures:
    """What the overall /status shows of the selected items: the tally, each section's (reported, total, done),
    and each unit's items not reported (units in the order they first appear)."""

    tally: Tally
    sections: dict[int, tuple[int, int, int]]
    missing: dict[str, int]


def figures(selected: Sequence[Item]) -> Figures:
    sections: dict[int, list[int]] = {}
    missing: dict[str, int] = {}
    for item in selected:
        counts = sections.setdefault(item.measure.section, [0, 0, 0])
        counts[0] += item.report is not None
        counts[1] += 1
        counts[2] += item.status is Status.DONE
        missing[item.respondent.name] = missing.get(item.respondent.name, 0) + (item.report is None)
    by_section = {number: (c[0], c[1], c[2]) for number, c in sections.items()}
    return Figures(tally(list(selected)), by_section, missing)
