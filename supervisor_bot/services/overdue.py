"""The state supervision reads: units bound, the round before, overdue items, recent history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from supervisor_bot.core.oversight import (
    OverdueItem,
    closed_measures,
    overdue_with_term,
)
from supervisor_bot.core.respondents import Respondent
from supervisor_bot.core.rounds import Round
from supervisor_bot.services.kept import keep, recall
from supervisor_bot.services.runtime import Runtime

HISTORY_ROUNDS = 6  # enough for interview streaks and the first 督办 of an item's streak


def bound_units(rt: Runtime, bound_only: bool) -> tuple[Respondent, ...]:
    active = {b.respondent for b in rt.store.bindings() if b.active}
    return tuple(u for u in rt.respondents.values() if not bound_only or u.name in active)


def supervised_units(rt: Runtime) -> tuple[Respondent, ...]:
    """The units supervision holds to account (their items can be overdue): the one predicate every answer about
    "overdue" goes through — today, the units with a live chat."""
    return bound_units(rt, bound_only=True)


def previous_round(rt: Runtime, round_: Round) -> Round | None:
    """The round opened last before `round_` (looked for from the latest: years of rounds are not walked)."""
    return next((r for r in reversed(rt.store.rounds()) if r.opened_at < round_.opened_at), None)


def overdue_now(
    rt: Runtime, round_: Round, now: dt.datetime, only: str | Collection[str] | None = None
) -> list[OverdueItem]:
    """The round's overdue items at `now`, of every bound unit or `only` of one or some."""
    return overdue_with_its_term(rt, round_, now, only)[0]


def overdue_with_its_term(
    rt: Runtime, round_: Round, now: dt.datetime, only: str | Collection[str] | None = None
) -> tuple[list[OverdueItem], dt.datetime | None]:
    """overdue_now, and until when it holds as time passes (None: until something is written); kept (services.kept)."""
    wanted = None if only is None else {only} if isinstance(only, str) else only
    key = ("overdue", round_.id, frozenset(wanted) if wanted is not None else None)
    found, kept = recall(rt, key, now)
    if found:
        items, until = kept
        return list(items), until
    previous = previous_round(rt, round_)
    closures = rt.store.closures()
    units = tuple(u for u in supervised_units(rt) if wanted is None or u.name in wanted)
    items, until = overdue_with_term(
        rt.matrix,
        units,
        round_,
        rt.store.reports(round_.id),
        rt.store.reports(previous.id) if previous else {},
        {(e.measure, e.respondent): e for e in rt.store.extensions()},
        {(r.measure, r.respondent) for r in rt.store.resolutions(round_.id)},
        closed_measures(rt.matrix, closures, rt.respondents.values()),
        now,
        rt.tz,
    )
    keep(rt, key, now, until, (tuple(items), until))
    return items, until


def recent_rounds(rt: Runtime, round_: Round) -> list[Round]:
    return [r for r in rt.store.rounds() if r.opened_at < round_.opened_at][-HISTORY_ROUNDS:]
