"""Answers to /status, /overdue and /measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from supervisor_bot.core.matrix import Matrix, Measure
from supervisor_bot.core.office import Office
from supervisor_bot.core.oversight import ItemKey, OverdueItem, Reason
from supervisor_bot.core.queries import Figures, Item, Tally, by_respondent, tally
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import UNREPORTED_LABEL, UNREPORTED_MARK, Status
from supervisor_bot.views import fmt
from supervisor_bot.views.supervision import overdue_reason

_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.BLOCKED, Status.NOT_STARTED)


def _counts(t: Tally) -> str:
    parts = [f"{s.mark}{s.label} {t.by_status[s]}" for s in _ORDER]
    return "　".join([*parts, f"{UNREPORTED_MARK}{UNREPORTED_LABEL} {t.unreported}"])


def _heading(round_: Round, tz: str) -> str:
    return f"{fmt.round_name(round_.id)}，报送截止{fmt.day_time(round_.due_at, tz)}"


def _state(item: Item, late: Mapping[ItemKey, OverdueItem]) -> str:
    text = (
        f"{UNREPORTED_MARK}{UNREPORTED_LABEL}"
        if item.report is None
        else f"{item.report.status.mark}{item.report.status.label}"
    )
    found = late.get((item.measure.number, item.respondent.name))
    return f"{text}（🔴{overdue_reason(found)}）" if found is not None else text


def unbound_line(unbound: Sequence[str]) -> list[str]:
    """Units not yet bound to a group: listed apart, neither counted nor overdue."""
    if not unbound:
        return []
    return ["", f"尚未绑定工作群的单位（{len(unbound)}个，未绑定，不计入统计）：" + "、".join(unbound)]


def _overdue_line(late: Mapping[ItemKey, OverdueItem]) -> list[str]:
    if not late:
        return []
    units = {o.respondent for o in late.values()}
    return [f"🔴逾期{len(late)}项（涉及{len(units)}个单位），详见 /overdue"]


def overall(
    matrix: Matrix,
    round_: Round,
    counted: Figures,
    late: Mapping[ItemKey, OverdueItem],
    tz: str,
    office: Office,
    unbound: Sequence[str] = (),
) -> str:
    t = counted.tally
    lines = [
        f"【落实情况】{_heading(round_, tz)}",
        f"应报送{t.total}项（措施×责任单位），已报送{t.reported}项：",
        _counts(t),
        *_overdue_line(late),
        "",
        "分部分报送情况：",
    ]
    for section in matrix.sections:
        if section.number in counted.sections:
            reported, total, done = counted.sections[section.number]
            lines.append(f"{section.label}、{section.title}：已报送{reported}/{total}，已完成{done}")
    worst = sorted(((n, c) for n, c in counted.missing.items() if c), key=lambda x: -x[1])[:10]
    if worst:
        lines += ["", "未报送较多的单位：" + "、".join(f"{n}（{c}项）" for n, c in worst)]
    lines += unbound_line(unbound)
    lines += ["", f"查看单位：/status {office.example_unit}；查看措施：/status {office.example_measure}"]
    return "\n".join(lines)


def of_respondents(
    matrix: Matrix,
    names: list[str],
    round_: Round,
    selected: list[Item],
    late: Mapping[ItemKey, OverdueItem],
    tz: str,
    unbound: Sequence[str] = (),
) -> str:
    lines = [
        f"【{'、'.join(names) if len(names) <= 3 else names[0] + '等' + str(len(names)) + '个单位'}落实情况】{_heading(round_, tz)}"
    ]
    lines.append(_counts(tally(selected)))
    lines += _overdue_line({k: v for k, v in late.items() if k[1] in names})
    for name, group in by_respondent(selected).items():
        apart = "（尚未绑定工作群：未绑定，不计逾期）" if name in unbound else ""
        if len(names) > 1 or apart:
            lines += ["", f"{name}{apart}："]
        for item in group:
            note = f"：{fmt.clip(item.report.note, 40)}" if item.report and item.report.note else ""
            lines.append(
                f"{matrix.label(item.measure.number)}.【{item.role.label}】{fmt.clip(item.measure.text, 20)} "
                f"{_state(item, late)}{note}"
            )
    return "\n".join(lines)


def of_measure(
    matrix: Matrix,
    measure: Measure,
    round_: Round,
    selected: list[Item],
    late: Mapping[ItemKey, OverdueItem],
    tz: str,
    unbound: Sequence[str] = (),
) -> str:
    """Every unit's status on one measure; a unit not yet bound is 未绑定, not counted."""
    counted = [i for i in selected if i.respondent.name not in unbound]
    label = matrix.label(measure.number)
    lines = [f"【措施{label}落实情况】{_heading(round_, tz)}", measure.text, "", _counts(tally(counted))]
    for item in selected:
        if item.respondent.name in unbound:
            lines.append(f"{item.respondent.name}（{item.role.label}）未绑定（尚未绑定工作群）")
            continue
        note = f"：{item.report.note}" if item.report and item.report.note else ""
        who = (
            f"（{item.report.actor.name}，{fmt.short(item.report.at, tz)}）"
            if item.report and not item.report.carried
            else ""
        )
        lines.append(f"{item.respondent.name}（{item.role.label}）{_state(item, late)}{who}{note}")
    cooperating = matrix.listed_only(measure)
    if cooperating:
        lines.append(f"{'、'.join(cooperating)}（配合）向牵头单位报送，不单独督办")
    return "\n".join(lines)


def overdue_list(
    matrix: Matrix,
    round_: Round,
    late: Sequence[OverdueItem],
    waiting: list[Item],
    tz: str,
    now: dt.datetime,
    unbound: Sequence[str] = (),
) -> str:
    """/overdue: the items supervision holds overdue now, by unit, each with why and against which date; the units
    not yet bound listed apart (未绑定, never overdue)."""
    lines = [f"【逾期事项】{_heading(round_, tz)}"]
    lines += _late_lines(matrix, round_, late, waiting, now)
    lines += unbound_line(unbound)
    return "\n".join(lines)


def _late_lines(
    matrix: Matrix, round_: Round, late: Sequence[OverdueItem], waiting: list[Item], now: dt.datetime
) -> list[str]:
    lines: list[str] = []
    if not late:
        if not round_.is_past_due(now):
            lines.append(
                f"本轮尚未到报送截止时间，暂无逾期事项。目前尚有{len(waiting)}项未报送"
                f"（涉及{len(by_respondent(waiting))}个单位）。"
            )
        else:
            lines.append("无逾期事项。")
        return lines
    unreported_late = sum(1 for o in late if o.reason is Reason.UNREPORTED)
    others = len(late) - unreported_late
    units: dict[str, list[OverdueItem]] = {}
    for item in late:
        units.setdefault(item.respondent, []).append(item)
    parts = [f"逾期未报送{unreported_late}项"] if unreported_late else []
    parts += [f"逾期未完成或连续有困难{others}项"] if others else []
    lines.append(f"逾期{len(late)}项（{'，'.join(parts)}），涉及{len(units)}个单位：")
    for name, group in sorted(units.items(), key=lambda kv: -len(kv[1])):
        lines.append(
            f"{name}（{len(group)}项）：" + "、".join(f"{matrix.item(o.measure)}（{overdue_reason(o)}）" for o in group)
        )
    if not round_.is_past_due(now) and waiting:
        lines.append(f"本轮报送尚未截止，目前尚有{len(waiting)}项未报送。")
    return lines


def measure_info(matrix: Matrix, measure: Measure) -> str:
    section = matrix.section(measure.section)
    lines = [f"【{matrix.item(measure.number)}】" + (f"{section.label}、{section.title}" if section else "")]
    lines.append((fmt.sentence(measure.title) if measure.title else "") + measure.text)
    lines.append("牵头单位：" + "、".join(measure.leads))
    cos = [d for d in measure.departments if d not in measure.leads]
    if cos or measure.open_ended:
        apart = "（向牵头单位报送，不单独督办）" if matrix.listed_only(measure) else ""
        lines.append("配合单位：" + ("、".join(cos) if cos else "—") + ("等" if measure.open_ended else "") + apart)
    if measure.leaders:
        lines.append("责任领导：" + "、".join(measure.leaders))
    if measure.deadline_text:
        lines.append(f"完成时限（方案原文）：{measure.deadline_text}")
    for d in measure.shown_dates:
        lines.append(f"{d.meaning.label}：{fmt.full_day(d.date)}")
    if measure.targets:
        lines.append("量化指标：" + "、".join(measure.targets))
    return "\n".join(lines)
