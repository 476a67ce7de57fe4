"""The ladder's messages: 临期提醒, 催办, 督办单, 约谈建议, 整改, 办结核实 — written as a bureau writes them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.office import Office
from supervisor_bot.core.oversight import Basis, Closure, Extension, Interview, OverdueItem, Resolution
from supervisor_bot.core.reports import Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.views import fmt
from supervisor_bot.views.evidence import line as evidence_line
from supervisor_bot.views.messages import yuetan_example
from supervisor_bot.views.tickets import EXTENSION_CHOICES, TicketAct, TicketPress, encode
from supervisor_bot.views.view import Button, View


def _numbers(matrix: Matrix, measures: tuple[int, ...] | list[int]) -> str:
    return "、".join(matrix.label(m) for m in measures)


def _basis(office: Office) -> list[str]:
    """The plan's measure of supervision (or `[escalation] basis`); nothing when the plan has none."""
    return [office.basis_line] if office.basis_line else []


def overdue_reason(item: OverdueItem) -> str:
    """未按时报送; 逾期未完成，完成时限6月30日; 未按时报送，延期至7月4日: why, and against which date."""
    if item.basis is Basis.ROUND_DUE or item.basis is Basis.BLOCKED:
        return item.reason.label
    return f"{item.reason.label}，{item.basis.label}{fmt.month_day(item.deadline)}"


def remind(unit: str, round_: Round, measures: tuple[int, ...], tz: str, matrix: Matrix) -> View:
    return View(
        f"【临期提醒】{unit}：{fmt.round_name(round_.id)}督办清单尚有{len(measures)}项未报送（措施{_numbers(matrix, measures)}），"
        f"报送截止时间为{fmt.day_time(round_.due_at, tz)}。请联络员于截止前在本群督办清单中报送。"
    )


def urge(unit: str, round_: Round, items: tuple[OverdueItem, ...], tz: str, matrix: Matrix, office: Office) -> View:
    lines = [
        f"【催办】{unit}：{fmt.round_name(round_.id)}报送已于{fmt.day_time(round_.due_at, tz)}截止，以下{len(items)}项逾期："
    ]
    lines += [f"{matrix.item(i.measure)}【{i.role.label}】{overdue_reason(i)}" for i in items]
    lines.append(f"请立即在本群督办清单中报送；逾期未报的，将于下一个工作日报{office.bureau}督办。")
    return View("\n".join(lines))


def _days_overdue(item: OverdueItem, now: dt.datetime, calendar: WorkCalendar, tz: str) -> int:
    return calendar.workdays_between(fmt.local(item.since, tz).date(), fmt.local(now, tz).date())


def escalation(
    ticket: Ticket,
    round_: Round,
    items: tuple[OverdueItem, ...],
    matrix: Matrix,
    last: Mapping[int, Report],
    settled: Mapping[int, str],
    now: dt.datetime,
    calendar: WorkCalendar,
    tz: str,
    office: Office,
    still: frozenset[int] = frozenset(),
) -> View:
    """The 督办单: each overdue item with why, against which date, days overdue, role and last note; 延期 and
    已核实 for each. A settled item shows how it was settled instead (`still`: settled but overdue again, as
    after an extension that ran out)."""
    lines = [
        f"【督办单】{fmt.round_name(round_.id)}　编号D{ticket.id}",
        f"被督办单位：{ticket.respondent}",
        f"逾期事项（{len(items)}项）：",
    ]
    rows: list[tuple[Button, ...]] = []
    for n, item in enumerate(items, start=1):
        measure = matrix.measure(item.measure)
        text = fmt.clip(measure.text, 24) if measure else ""
        note = last.get(item.measure)
        said = f"；最近说明：{fmt.clip(note.note, 40)}" if note is not None and note.note else "；最近说明：无"
        label, named = matrix.label(item.measure), matrix.item(item.measure)
        if item.measure in settled and item.measure not in still:  # settled, and not overdue again since
            lines.append(f"{n}. {named}【{item.role.label}】{text}｜{settled[item.measure]}{said}")
            continue
        days = _days_overdue(item, now, calendar, tz)
        late = f"逾期{days}个工作日" if days else "今日逾期"
        lines.append(f"{n}. {named}【{item.role.label}】{text}｜{overdue_reason(item)}，{late}{said}")
        if item.measure in settled:  # overdue again after it was settled: it can be settled again
            lines.append(f"　　{settled[item.measure]}，现又逾期")
        rows.append(
            (
                Button(f"延期·措施{label}", encode(TicketPress(TicketAct.EXTEND_CHOICES, ticket.id, item.measure))),
                Button(f"已核实·措施{label}", encode(TicketPress(TicketAct.RESOLVE, ticket.id, item.measure))),
            )
        )
    lines += [*_basis(office), "请协调员核实后处理：延期的，此后按新期限督办；已核实的，本轮不再督办。"]
    return View("\n".join(lines), tuple(rows))


def extension_choices(
    ticket: Ticket, measure: int, now: dt.datetime, calendar: WorkCalendar, tz: str, label: str
) -> View:
    today = fmt.local(now, tz).date()
    buttons = tuple(
        Button(
            f"{n}个工作日，至{fmt.day(calendar.add_workdays(today, n))}",
            encode(TicketPress(TicketAct.EXTEND, ticket.id, measure, n)),
        )
        for n in EXTENSION_CHOICES
    )
    back = (Button("« 返回督办单", encode(TicketPress(TicketAct.BACK, ticket.id))),)
    return View(
        f"【督办单D{ticket.id}】为{ticket.respondent}{label}选择延期期限：", (*tuple((b,) for b in buttons), back)
    )


def extended(ext: Extension) -> str:
    return f"已延期至{fmt.full_day(ext.until)}（{ext.by.name}）"


def resolved(res: Resolution) -> str:
    return f"已核实（{res.by.name}）"


def extension_notice(ext: Extension, label: str) -> View:
    return View(
        f"【延期】{ext.respondent}：{label}的期限已延至{fmt.full_day(ext.until)}（协调员{ext.by.name}）。请按新期限推进并报送。"
    )


def _leaders_line(items: tuple[OverdueItem, ...]) -> list[str]:
    """The plan's 责任领导 of the measures concerned: whom the 约谈 concerns besides the unit."""
    leaders = dict.fromkeys(name for i in items for name in i.leaders)
    return ["方案明确的责任领导：" + "、".join(leaders) + "。"] if leaders else []


def interview_proposal(
    unit: str,
    reasons: tuple[str, ...],
    items: tuple[OverdueItem, ...],
    proposed_for: dt.datetime,
    tz: str,
    matrix: Matrix,
    office: Office,
) -> View:
    """The 约谈建议; the example's 整改期限 comes after the proposed interview."""
    example = yuetan_example(unit, fmt.local(proposed_for, tz).date())
    lines = [
        f"【约谈建议】拟约谈：{unit}",
        "事由：" + fmt.sentence("；".join(reasons)),
        "涉及事项：" + "、".join(f"{matrix.item(i.measure)}（{i.reason.label}）" for i in items) + "。",
        *_leaders_line(items),
        f"拟定时间：{fmt.day_time(proposed_for, tz)}，地点另行通知。",
        *_basis(office),
        f"约谈后请协调员记录：/yuetan {unit} 约谈日期 约谈要点 整改期限YYYY-MM-DD（例如：{example}）",
    ]
    said = example.replace("/yuetan", "@督办 约谈", 1)  # where people speak to the bot by @-mention (WeCom)
    mentioned = [
        *lines[:-1],
        f"约谈后请协调员记录：@督办 约谈 {unit} 约谈日期 约谈要点 整改期限YYYY-MM-DD（例如：{said}）",
    ]
    return View("\n".join(lines), card_text="\n".join(mentioned))


def interview_recorded(interview: Interview) -> str:
    held = fmt.full_day(interview.held_on) if interview.held_on else ""
    deadline = fmt.full_day(interview.rectify_by) if interview.rectify_by else "未定"
    return (
        f"【约谈纪要】{held}约谈{interview.respondent}。要点：{fmt.sentence(interview.points)}\n"
        f"整改期限：{deadline}。机器人将跟踪整改期限，到期前一个工作日提醒，到期核查。"
    )


def rectify_remind(unit: str, deadline: dt.date) -> View:
    return View(
        f"【整改提醒】{unit}：约谈确定的整改期限为{fmt.full_day(deadline)}，请抓紧整改，并在本群督办清单中如实报送。"
    )


def rectify_check(unit: str, deadline: dt.date, items: tuple[OverdueItem, ...], matrix: Matrix) -> View:
    if not items:
        return View(f"【整改到期】{unit}整改期限{fmt.full_day(deadline)}已到：经核查已无逾期事项，整改完成。")
    return View(
        f"【整改到期】{unit}整改期限{fmt.full_day(deadline)}已到，仍有{len(items)}项逾期："
        + "、".join(f"{matrix.item(i.measure)}（{i.reason.label}）" for i in items)
        + "。请协调员研究进一步措施。"
    )


def closure_ticket(
    ticket: Ticket,
    closure: Closure,
    matrix: Matrix,
    tz: str,
    decided: str = "",
    evidence: tuple[Evidence, ...] = (),
) -> View:
    measure = matrix.measure(closure.measure)
    lines = [
        f"【办结核实】{closure.respondent}报告{matrix.item(closure.measure)}已完成（编号B{ticket.id}）",
        fmt.clip(measure.text, 60) if measure else "",
        f"完成情况：{fmt.sentence(closure.note)}",
        f"报告时间：{fmt.short(closure.reported_at, tz)}",
        evidence_line(evidence, tz) + ("（可在督办看板该单位页面下载）" if evidence else ""),
    ]
    if decided:
        return View("\n".join([*lines, decided]))
    lines.append("请协调员核实：属实的予以销号；不属实的退回并说明理由（单位可见）。")
    buttons = (
        (
            Button("销号", encode(TicketPress(TicketAct.CLOSE, ticket.id))),
            Button("退回", encode(TicketPress(TicketAct.RETURN, ticket.id))),
        ),
    )
    return View("\n".join(lines), buttons)


RETURN_REQUEST = re.compile(r"^【办结核实B([0-9a-z]+)】请回复本消息")  # the request below, recognised in a reply


def return_reason_request(ticket: Ticket, closure: Closure, label: str) -> View:
    return View(
        f"【办结核实B{ticket.id}】请回复本消息，说明退回{closure.respondent}{label}的理由（单位可见）。",
        force_reply=True,
        placeholder="退回理由",
    )


def closed_notice(closure: Closure, label: str) -> View:
    return View(f"【销号】{closure.respondent}：{label}已经核实办结销号，此后不再报送。")


def returned_notice(closure: Closure, label: str) -> View:
    return View(
        f"【退回】{closure.respondent}：{label}的完成报告被退回。理由：{fmt.sentence(closure.reason)}"
        "请继续推进，完成后重新报送。"
    )
