"""What the bureau's coordinators are told when a ticket's button, a 退回 reason or a /yuetan is refused."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.office import Office
from supervisor_bot.core.reports import MAX_NOTE_LENGTH
from supervisor_bot.outcomes.interviews import InterviewProblem, InterviewRefused
from supervisor_bot.outcomes.tickets import TicketRefusal
from supervisor_bot.views.messages import yuetan_example

NOT_COORDINATOR = "只有协调员可以处理督办单和办结核实。"
UNKNOWN_TICKET = "无法识别的按钮或该单据已失效，未做任何更改。"
ASK_REASON = "请回复机器人的提示消息说明退回理由"

TICKET_REFUSALS = {
    TicketRefusal.NOT_COORDINATOR: NOT_COORDINATOR,
    TicketRefusal.UNKNOWN: UNKNOWN_TICKET,
    TicketRefusal.DECIDED: "该事项已处理，不能重复操作。",
    TicketRefusal.EMPTY_REASON: "退回理由不能为空，请重新回复。",
    TicketRefusal.LONG_REASON: f"退回理由过长（不超过{MAX_NOTE_LENGTH}字），请精简后重新回复。",
}


def yuetan_usage(office: Office, today: dt.date) -> str:
    """The usage, its example with one of the deployment's units and dates from today (the deadline after it)."""
    example = yuetan_example(office.example_unit, today)
    return f"用法：/yuetan 单位 约谈日期 约谈要点 整改期限YYYY-MM-DD\n例如：{example}"


_INTERVIEW_PROBLEMS = {
    InterviewProblem.USAGE: "",
    InterviewProblem.NO_UNIT: "未找到唯一对应的单位“{}”。",
    InterviewProblem.BAD_DATE: "约谈日期“{}”无法识别。",
    InterviewProblem.NO_DEADLINE: "请写明整改期限。",
    InterviewProblem.DEADLINE_BEFORE: "整改期限不能早于约谈日期。",
    InterviewProblem.DATE_RANGE: "约谈日期“{}”应在今天前后一年之内。",
    InterviewProblem.DEADLINE_RANGE: "整改期限应在约谈日期后一年之内。",
    InterviewProblem.NO_POINTS: "请写明约谈要点。",
}


def interview_refused(refused: InterviewRefused, office: Office, today: dt.date) -> str:
    problem = _INTERVIEW_PROBLEMS[refused.problem].format(refused.written)
    if refused.suggestion:
        problem = f'未找到单位"{refused.written}"，是否为"{refused.suggestion}"？'
    usage = yuetan_usage(office, today)
    return f"{problem}\n{usage}" if problem else usage


def returned(respondent: str) -> str:
    return f"已退回，{respondent}将收到退回理由。"


def recorded(record: str) -> str:
    return "已记录。\n" + record
