"""约谈: recorded with /yuetan, and the rectification deadline the bot then tracks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from supervisor_bot.core.oversight import (
    Interview,
)
from supervisor_bot.core.people import Actor, ChatId
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.outcomes.interviews import InterviewProblem, InterviewRefused
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt

__all__ = ["InterviewProblem", "InterviewRecorded", "InterviewRefused", "record_interview"]

_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_YEAR = 366  # days


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


@dataclass(frozen=True)
class InterviewRecorded:
    interview: Interview
    tell: tuple[ChatId, ...]  # the chats told of it, besides the one it was recorded in


InterviewOutcome = InterviewRecorded | InterviewRefused


@dataclass(frozen=True)
class _Parsed:
    unit: str
    held_on: dt.date
    points: str
    rectify_by: dt.date


def _parse(rt: Runtime, text: str, now: dt.datetime) -> _Parsed | InterviewRefused:
    parts = text.split(maxsplit=2)
    if len(parts) < 3:
        return InterviewRefused(InterviewProblem.USAGE)
    names = rt.find_respondent(parts[0])
    if len(names) != 1:
        return InterviewRefused(InterviewProblem.NO_UNIT, parts[0], None if names else rt.suggest_respondent(parts[0]))
    held = re.fullmatch(_DATE, parts[1])
    held_on = _date(held) if held else None
    if held_on is None:
        return InterviewRefused(InterviewProblem.BAD_DATE, parts[1])
    rest = parts[2]
    deadline_match = re.search(r"整改期限[:：]?\s*" + _DATE, rest) or re.match(_DATE + r"\s+", rest)
    rectify_by = _date(deadline_match) if deadline_match else None
    if deadline_match is None or rectify_by is None:
        return InterviewRefused(InterviewProblem.NO_DEADLINE)
    if rectify_by < held_on:
        return InterviewRefused(InterviewProblem.DEADLINE_BEFORE)
    # the ladder tracks the deadline working day by working day: 0001-01-01 or 9999-12-31 would stop every tick
    if abs((held_on - fmt.local(now, rt.tz).date()).days) > _YEAR:
        return InterviewRefused(InterviewProblem.DATE_RANGE, parts[1])
    if (rectify_by - held_on).days > _YEAR:
        return InterviewRefused(InterviewProblem.DEADLINE_RANGE)
    points = (rest[: deadline_match.start()] + rest[deadline_match.end() :]).strip(" ，,；;。")
    if not points:
        return InterviewRefused(InterviewProblem.NO_POINTS)
    return _Parsed(names[0], held_on, points, rectify_by)


def record_interview(rt: Runtime, text: str, actor: Actor, chat_id: ChatId, now: dt.datetime) -> InterviewOutcome:
    """/yuetan 部门 日期 要点 整改期限YYYY-MM-DD: the interview held, and the deadline the bot then tracks.

    The bureau, the leaders and the unit's own chat are told (not the chat it was recorded in: it hears back)."""
    parsed = _parse(rt, text, now)
    if isinstance(parsed, InterviewRefused):
        return parsed
    pending = next((i for i in rt.store.interviews() if i.respondent == parsed.unit and not i.held), None)
    base = pending or Interview(parsed.unit, now, now, ("协调员直接约谈",), ())
    interview = replace(
        base, held_on=parsed.held_on, points=parsed.points, rectify_by=parsed.rectify_by, recorded_by=actor
    )
    note = f"{parsed.held_on}；{parsed.points}；整改期限{parsed.rectify_by}"
    rt.store.save_interview(interview, AuditEntry(now, actor, chat_id, "interview", respondent=parsed.unit, note=note))
    tell = [c for c in (rt.bureau_chat, rt.leaders_chat) if c and c != chat_id]
    binding = rt.binding_of(parsed.unit)
    if binding is not None and binding.active:
        tell.append(binding.chat_id)
    return InterviewRecorded(interview, tuple(tell))
