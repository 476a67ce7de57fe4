"""What /status, /overdue and /measure are about, read from storage as typed values; views/answers.py renders them
(as chat text; the dashboard renders its own read services as HTML)."""

from __future__ import annotations

import datetime as dt
import re

from supervisor_bot.core.matrix import Measure
from supervisor_bot.core.oversight import ItemKey, OverdueItem
from supervisor_bot.core.queries import items, unreported
from supervisor_bot.core.rounds import Round
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
from supervisor_bot.services.kept import keep, recall
from supervisor_bot.services.overdue import overdue_now, overdue_with_its_term, supervised_units
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
    found, kept = recall(rt, ("status", live.id, text), now)
    if found:
        assert isinstance(kept, StatusPicture)
        return kept
    picture, until = _picture(rt, live, now, measure, names)
    keep(rt, ("status", live.id, text), now, until, picture)
    return picture


def _picture(
    rt: Runtime, live: Round, now: dt.datetime, measure: Measure | None, names: list[str]
) -> tuple[StatusPicture, dt.datetime | None]:
    """The picture, and until when it holds as time passes: only what the answer shows is judged — the units asked
    about, or those the measure names."""
    reports = rt.store.reports(live.id)
    unbound = _unbound(rt)
    if measure is not None:
        named = {r.name for r in rt.respondents.values() if r.department in measure.departments}
        late, until = _late(rt, live, now, named)
        selected = tuple(i for i in items(rt.matrix, reports, only=named) if i.measure.number == measure.number)
        return StatusPicture(live, selected, late, unbound, measure=measure), until
    if names:
        late, until = _late(rt, live, now, set(names))
        picture = StatusPicture(
            live, tuple(items(rt.matrix, reports, only=set(names))), late, unbound, names=tuple(names)
        )
        return picture, until
    counted = items(rt.matrix, reports, only={u.name for u in supervised_units(rt)})
    late, until = _late(rt, live, now)
    return StatusPicture(live, tuple(counted), late, unbound), until


def _late(
    rt: Runtime, live: Round, now: dt.datetime, only: set[str] | None = None
) -> tuple[dict[ItemKey, OverdueItem], dt.datetime | None]:
    found, until = overdue_with_its_term(rt, live, now, only)
    return {(o.measure, o.respondent): o for o in found}, until


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
