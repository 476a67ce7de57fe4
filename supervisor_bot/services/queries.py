"""What /status, /overdue and /measure are about, read from storage as typed values; views/answers.py renders them
(as chat text; the dashboard renders its own read services as HTML)."""

from __future__ import annotations

import datetime as dt
import re

from supervisor_bot.core.queries import items, unreported
from supervisor_bot.outcomes.queries import (
    MeasureAnswer,
    MeasureDetails,
    MeasureUsage,
    NoRound,
    OnlyCooperating,
    OverdueAnswer,
    OverduePicture,
    StatusAnswer,
    StatusPicture,
    UnknownMeasure,
    UnknownUnit,
)
from supervisor_bot.services.overdue import overdue_now, supervised_units
from supervisor_bot.services.runtime import Runtime

__all__ = [
    "MeasureAnswer",
    "MeasureDetails",
    "MeasureUsage",
    "NoRound",
    "OnlyCooperating",
    "OverdueAnswer",
    "OverduePicture",
    "StatusAnswer",
    "StatusPicture",
    "UnknownMeasure",
    "UnknownUnit",
    "measure_of",
    "overdue_of",
    "status_of",
]

_LABEL = re.compile(r"^[一二三四五六七八九十百零〇]*[（(]?[0-9０-９一二三四五六七八九十百零〇]+[）)]?[.、．]?$")


def _looks_like_measure(text: str) -> bool:
    """`8`, `８`, `（三）`, `二（一）`: a measure's number, not a unit's name."""
    return bool(_LABEL.match(text))


def _unbound(rt: Runtime) -> tuple[str, ...]:
    bound = rt.bound()
    return tuple(name for name in rt.respondents if name not in bound)


def status_of(rt: Runtime, argument: str, now: dt.datetime) -> StatusAnswer:
    """Overall, for a department (or a collective body's members), or for a measure (by the plan's label or its
    running number)."""
    text = argument.strip()
    measure = rt.matrix.find(text) if text else None
    numeric = measure is not None or _looks_like_measure(text)
    names = rt.find_respondent(text) if text and not numeric else []
    if numeric and measure is None:
        return UnknownMeasure(text, len(rt.matrix.measures))
    if text and not numeric and not names:
        listed = tuple(rt.label(m.number) for m in rt.matrix.measures if text in rt.matrix.listed_only(m))
        return OnlyCooperating(text, listed) if listed else UnknownUnit(text, rt.suggest_respondent(text))
    live = rt.current_round()
    if live is None:
        return NoRound()
    reports = rt.store.reports(live.id)
    late = {(o.measure, o.respondent): o for o in overdue_now(rt, live, now)}
    unbound = _unbound(rt)
    if measure is not None:
        selected = tuple(i for i in items(rt.matrix, reports) if i.measure.number == measure.number)
        return StatusPicture(live, selected, late, unbound, measure=measure)
    if names:
        return StatusPicture(live, tuple(items(rt.matrix, reports, only=set(names))), late, unbound, names=tuple(names))
    counted = items(rt.matrix, reports, only={u.name for u in supervised_units(rt)})
    return StatusPicture(live, tuple(counted), late, unbound)


def overdue_of(rt: Runtime, now: dt.datetime) -> OverdueAnswer:
    """/overdue: exactly the items the ladder and the 督办单 hold overdue now (see core.oversight.judge)."""
    live = rt.current_round()
    if live is None:
        return NoRound()
    supervised = {u.name for u in supervised_units(rt)}
    waiting = unreported(items(rt.matrix, rt.store.reports(live.id), only=supervised))
    return OverduePicture(live, tuple(overdue_now(rt, live, now)), tuple(waiting), _unbound(rt))


def measure_of(rt: Runtime, argument: str) -> MeasureAnswer:
    text = argument.strip()
    if not text:
        return MeasureUsage()
    measure = rt.matrix.find(text)
    if measure is None:
        return UnknownMeasure(text, len(rt.matrix.measures))
    return MeasureDetails(measure, tuple(e for e in rt.store.evidence() if e.measure == measure.number))
