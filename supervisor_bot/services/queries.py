"""What /status, /overdue and /measure answer, read from storage."""

from __future__ import annotations

import datetime as dt
import re

from supervisor_bot.core.queries import items
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import messages, status

_LABEL = re.compile(r"^[一二三四五六七八九十百零〇]*[（(]?[0-9０-９一二三四五六七八九十百零〇]+[）)]?[.、．]?$")


def _looks_like_measure(text: str) -> bool:
    """`8`, `８`, `（三）`, `二（一）`: a measure's number, not a unit's name."""
    return bool(_LABEL.match(text))


def status_text(rt: Runtime, argument: str, now: dt.datetime) -> str:
    """Overall, for a department (or a collective body's members), or for a measure (by the plan's label or its
    running number)."""
    text = argument.strip()
    measure = rt.matrix.find(text) if text else None
    numeric = measure is not None or _looks_like_measure(text)
    names = rt.find_respondent(text) if text and not numeric else []
    if numeric and measure is None:
        return messages.no_measure(text, len(rt.matrix.measures), rt.office)
    if text and not numeric and not names:
        return messages.no_such_respondent(
            text, (), rt.office, command="status", suggestion=rt.suggest_respondent(text)
        )
    live = rt.current_round()
    if live is None:
        return messages.NO_ROUND
    reports = rt.store.reports(live.id)
    bound = rt.bound()
    unbound = [name for name in rt.respondents if name not in bound]
    if measure is not None:
        selected = [i for i in items(rt.matrix, reports) if i.measure.number == measure.number]
        return status.of_measure(rt.matrix, measure, live, selected, rt.tz, unbound)
    if names:
        chosen = items(rt.matrix, reports, only=set(names))
        return status.of_respondents(rt.matrix, names, live, chosen, rt.tz, unbound)
    counted = items(rt.matrix, reports, only=set(bound))
    return status.overall(rt.matrix, live, counted, rt.tz, rt.office, unbound)


def overdue_text(rt: Runtime, now: dt.datetime) -> str:
    live = rt.current_round()
    if live is None:
        return messages.NO_ROUND
    bound = rt.bound()
    unbound = [name for name in rt.respondents if name not in bound]
    counted = items(rt.matrix, rt.store.reports(live.id), only=set(bound))
    return status.overdue_list(rt.matrix, live, counted, rt.tz, now, unbound)


def measure_text(rt: Runtime, argument: str) -> str:
    text = argument.strip()
    if not text:
        return messages.usage("measure", rt.office)
    measure = rt.matrix.find(text)
    if measure is None:
        return messages.no_measure(text, len(rt.matrix.measures), rt.office)
    return status.measure_info(rt.matrix, measure)
