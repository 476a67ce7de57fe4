"""/status, /overdue and /measure in a deployment of several plans: which plans a question is about — all of
them, the one its key names (`/status 营商环境`, `/measure 营商环境 3`), every plan a unit answers for
(`/status 市财政局`), or the one plan with such a measure (`/measure 3`) — each answered by services.queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.services import queries
from supervisor_bot.services.runtime import Runtime


@dataclass(frozen=True)
class AmbiguousMeasure:
    """`/measure 3` when more than one plan has a measure 3: the plan must be named."""

    written: str
    plans: tuple[str, ...]  # the keys of the plans that have it


def _named(runtimes: tuple[Runtime, ...], text: str) -> tuple[Runtime | None, str]:
    """The plan a question's first word names, and the rest of the question."""
    first, _, rest = text.strip().partition(" ")
    found = next((rt for rt in runtimes if rt.plan and rt.plan == first), None)
    return (found, rest.strip()) if found is not None else (None, text.strip())


def status_all(
    runtimes: tuple[Runtime, ...], argument: str, now: dt.datetime
) -> list[tuple[Runtime, queries.StatusAnswer]]:
    """Every plan's picture; one plan's; a unit's in every plan it answers for; a measure's where it exists."""
    named, rest = _named(runtimes, argument)
    if named is not None:
        return [(named, queries.status_of(named, rest, now))]
    live = [rt for rt in runtimes if not rt.retired] or list(runtimes)
    if not rest:
        return [(rt, queries.status_of(rt, "", now)) for rt in live]
    answers: list[tuple[Runtime, queries.StatusAnswer]] = [(rt, queries.status_of(rt, rest, now)) for rt in runtimes]
    found: list[tuple[Runtime, queries.StatusAnswer]] = [
        (rt, a) for rt, a in answers if not isinstance(a, queries.UnknownUnit | queries.UnknownMeasure)
    ]
    return found or answers[:1]


def overdue_all(runtimes: tuple[Runtime, ...], now: dt.datetime) -> list[tuple[Runtime, queries.OverdueAnswer]]:
    """/overdue grouped by plan."""
    return [(rt, queries.overdue_of(rt, now)) for rt in runtimes if not rt.retired]


def measure_all(
    runtimes: tuple[Runtime, ...], argument: str
) -> tuple[Runtime, queries.MeasureAnswer] | AmbiguousMeasure:
    """`/measure 营商环境 3`; `/measure 3` when one plan only has a measure 3."""
    named, rest = _named(runtimes, argument)
    if named is not None:
        return named, queries.measure_of(named, rest)
    having = [rt for rt in runtimes if rest and rt.matrix.find(rest) is not None]
    if len(having) > 1:
        return AmbiguousMeasure(rest, tuple(rt.plan for rt in having))
    chosen = having[0] if having else runtimes[0]
    return chosen, queries.measure_of(chosen, rest)
