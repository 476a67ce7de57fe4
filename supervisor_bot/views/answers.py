"""The chat's answers to /status, /overdue and /measure, from what services.queries found."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.office import Office
from supervisor_bot.outcomes.queries import (
    MeasureAnswer,
    MeasureUsage,
    NoRound,
    OnlyCooperating,
    OverdueAnswer,
    StatusAnswer,
    UnknownMeasure,
    UnknownUnit,
)
from supervisor_bot.views import evidence, messages, status


def status_answer(answer: StatusAnswer, matrix: Matrix, office: Office, tz: str) -> str:
    if isinstance(answer, UnknownMeasure):
        return messages.no_measure(answer.written, answer.count, office)
    if isinstance(answer, UnknownUnit):
        return messages.no_such_respondent(answer.written, (), office, command="status", suggestion=answer.suggestion)
    if isinstance(answer, OnlyCooperating):
        shown = "、".join(f"措施{label}" for label in answer.measures)
        return (
            f"{answer.unit}在{office.plan_word}中为配合单位（{shown}），按设置由牵头单位汇总报送，"
            "不单独发送督办清单、不单独督办。请查看相应措施：/status 措施号"
        )
    if isinstance(answer, NoRound):
        return messages.NO_ROUND
    selected, late, unbound = list(answer.selected), answer.late, answer.unbound
    if answer.measure is not None:
        return status.of_measure(matrix, answer.measure, answer.round, selected, late, tz, unbound)
    if answer.names:
        return status.of_respondents(matrix, list(answer.names), answer.round, selected, late, tz, unbound)
    return status.overall(matrix, answer.round, answer.figures, late, tz, office, unbound)


def overdue_answer(answer: OverdueAnswer, matrix: Matrix, tz: str, now: dt.datetime) -> str:
    if isinstance(answer, NoRound):
        return messages.NO_ROUND
    return status.overdue_list(matrix, answer.round, answer.late, list(answer.waiting), tz, now, answer.unbound)


def measure_answer(answer: MeasureAnswer, matrix: Matrix, office: Office, tz: str) -> str:
    if isinstance(answer, MeasureUsage):
        return messages.usage("measure", office)
    if isinstance(answer, UnknownMeasure):
        return messages.no_measure(answer.written, answer.count, office)
    return status.measure_info(matrix, answer.measure) + evidence.of_measure(answer.files, tz)
