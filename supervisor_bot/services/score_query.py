"""`/score [单位] [期间]`: a coordinator's or leader's question about 考核 scores, with typed answers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import UserId
from supervisor_bot.core.scoring import Period, Scorecard, period_of
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period, scorecard_all, scored_units

_YEAR = re.compile(r"(\d{4})年?(?:度)?")
_MONTH = re.compile(r"(\d{4})(?:-|年)(\d{1,2})月?")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


class ScoreRefusal(StrEnum):
    NOT_ALLOWED = "not_allowed"  # neither a coordinator nor a leader
    BAD_PERIOD = "bad_period"


@dataclass(frozen=True)
class ScoreRefused:
    reason: ScoreRefusal
    written: str = ""


@dataclass(frozen=True)
class NoSuchUnit:
    written: str
    candidates: tuple[str, ...]
    suggestion: str | None = None  # the unit a name that matched none most likely means


@dataclass(frozen=True)
class NotScored:
    """A unit not bound (or not reporting): it is not scored."""

    unit: str


@dataclass(frozen=True)
class Scores:
    card: Scorecard
    unit: str | None  # the unit asked about; None: every scored unit


ScoreAnswer = ScoreRefused | NoSuchUnit | NotScored | Scores


def parse_period(written: str) -> Period | None:
    """`2021` a year, `2021-09` (or 2021年9月) a month, `2021-Q4` a quarter; None for anything else."""
    text = written.strip()
    if m := _QUARTER.fullmatch(text):
        return period_of("quarter", dt.date(int(m.group(1)), 3 * int(m.group(2)), 1))
    if (m := _MONTH.fullmatch(text)) and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 2000:
        return period_of("month", dt.date(int(m.group(1)), int(m.group(2)), 1))
    if (m := _YEAR.fullmatch(text)) and int(m.group(1)) >= 2000:
        return period_of("year", dt.date(int(m.group(1)), 1, 1))
    return None


def _looks_like_period(word: str) -> bool:
    return bool(word) and word[0].isdigit()


def ask(rt: Runtime, user_id: UserId, written: str, now: dt.datetime, plans: tuple[Runtime, ...] = ()) -> ScoreAnswer:
    """The scores of the period asked for (the current 考核 period by default), of one unit or of all — over
    every plan of a deployment of several (`plans`): one score per unit."""
    every = plans or (rt,)
    if not rt.is_coordinator(user_id) and user_id not in rt.leaders:
        return ScoreRefused(ScoreRefusal.NOT_ALLOWED)
    words = written.split()
    period = current_period(rt, now)
    if words and _looks_like_period(words[-1]):
        parsed = parse_period(words[-1])
        if parsed is None:
            return ScoreRefused(ScoreRefusal.BAD_PERIOD, words[-1])
        period, words = parsed, words[:-1]
    unit: str | None = None
    if words:
        name = " ".join(words)
        found = list(dict.fromkeys(n for plan in every for n in plan.find_respondent(name)))
        if len(found) != 1:
            return NoSuchUnit(name, tuple(found), None if found else rt.suggest_respondent(name))
        unit = found[0]
        if not any(unit in scored_units(plan) for plan in every):
            return NotScored(unit)
    return Scores(scorecard_all(every, period, now), unit)
