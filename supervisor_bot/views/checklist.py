"""The paged checklist a department gets each round, and the detail of one measure in it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from supervisor_bot.core.matrix import Measure
from supervisor_bot.core.prompts import PAGE_SIZE, Prompt, clamp_page, pages
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import UNREPORTED_LABEL, UNREPORTED_MARK, Status
from supervisor_bot.views import fmt
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.views.evidence import HINT as EVIDENCE_HINT
from supervisor_bot.views.view import Button, Choice, View

_PER_ROW = 4
OPTIONAL_NOTE = "“未启动”“推进中”也可补充进展情况（选填）：打开措施后点击“📝 补充说明”。"
# the same request where each measure is a card and notes are said to the bot (WeCom)
CARDS_GUIDE = (
    "请在下方各项措施的卡片上选择进展情况。选择“已完成”“有困难”后，须在本群@机器人说明情况"
    "（或在与机器人的单聊中直接发送说明），说明后生效；其他状态也可同样补充说明（选填）。"
    "佐证材料请在与机器人的单聊中发送文件，文件名写明措施号，例如“措施9-验收报告.pdf”。"
)
STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED)


def _status_buttons(prompt: Prompt, number: int, report: Report | None) -> tuple[Button, ...]:
    def button(status: Status) -> Button:
        chosen = "✔ " if report is not None and report.status is status else ""
        return Button(f"{chosen}{status.label}", encode(Press(Act.STATUS, prompt.id, number, status)))

    return tuple(button(s) for s in STATUSES)


def measure_choice(
    prompt: Prompt, duty: Duty, report: Report | None, label: str, awaiting: Status | None = None
) -> Choice:
    """One measure as a card: its text, this round's status, the four statuses to choose from."""
    lines = [fmt.clip(duty.measure.text, 120), f"本轮状态：{_mark(report)}{_label(report)}"]
    if report is not None and report.note:
        lines.append(f"进展情况：{fmt.clip(report.note, 120)}")
    if awaiting is not None:
        lines.append(f"待说明：已选择“{awaiting.label}”，请@机器人说明情况后生效。")
    title = f"{fmt.item(prompt.plan, label)}【{duty.role.label}】"  # `民生实事 措施3【牵头】` among several plans
    return Choice(
        str(duty.measure.number), title, "\n".join(lines), _status_buttons(prompt, duty.measure.number, report)
    )


def _mark(report: Report | None) -> str:
    return report.status.mark if report else UNREPORTED_MARK


def _label(report: Report | None) -> str:
    if report is None:
        return UNREPORTED_LABEL
    return report.status.label + ("（沿用）" if report.carried else "")


def checklist(
    prompt: Prompt,
    round_: Round,
    duties: tuple[Duty, ...],
    reports: Mapping[int, Report],
    tz: str,
    closed: bool = False,
    label: Callable[[int], str] = str,
) -> View:
    """The list view: one page of measures (numbered as the plan prints them), a button for each, page turning."""
    page = clamp_page(prompt.page, len(duties))
    shown = duties[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    leads = sum(1 for d in duties if d.role.label == "牵头")
    done = sum(1 for d in duties if d.measure.number in reports)
    lines = [
        f"【督办】{fmt.round_name(round_.id)} 落实情况报送",
        f"单位：{prompt.respondent}（共{len(duties)}项：牵头{leads}项，配合{len(duties) - leads}项）",
        f"报送截止：{fmt.day_time(round_.due_at, tz)}",
        f"已报送：{done}/{len(duties)}" + ("　本轮已结束" if closed else ""),
        "",
    ]
    if pages(len(duties)) > 1:
        lines.append(f"第{page + 1}/{pages(len(duties))}页")
    for duty in shown:
        report = reports.get(duty.measure.number)
        lines.append(
            f"{label(duty.measure.number)}.【{duty.role.label}】{fmt.clip(duty.measure.text, 26)}　{_mark(report)}{_label(report)}"
        )
    lines += [
        "",
        "请点击措施编号查看详情、选择进展情况；选择“已完成”“有困难”后须回复本群机器人消息说明情况。",
        OPTIONAL_NOTE,
    ]
    rows: list[tuple[Button, ...]] = []
    buttons = [
        Button(
            f"{label(d.measure.number)} {_mark(reports.get(d.measure.number))}",
            encode(Press(Act.MEASURE, prompt.id, d.measure.number)),
        )
        for d in shown
    ]
    rows += [tuple(buttons[i : i + _PER_ROW]) for i in range(0, len(buttons), _PER_ROW)]
    navigation = []
    if page > 0:
        navigation.append(Button("« 上一页", encode(Press(Act.PAGE, prompt.id, page - 1))))
    if page < pages(len(duties)) - 1:
        navigation.append(Button("下一页 »", encode(Press(Act.PAGE, prompt.id, page + 1))))
    if navigation:
        rows.append(tuple(navigation))
    summary = "\n".join([*lines[:4], "", "本轮报送已结束。" if closed else CARDS_GUIDE])
    choices = (
        ()
        if closed
        else tuple(measure_choice(prompt, d, reports.get(d.measure.number), label(d.measure.number)) for d in duties)
    )
    return View("\n".join(lines), tuple(rows) if not closed else (), card_text=summary, choices=choices)


def _facts(m: Measure, cooperating: Sequence[str]) -> list[str]:
    """A measure as its checklist page shows it: text, units, leaders, time limits, targets."""
    departments = "、".join(
        f"{a.department}（{a.role.label}）" if a.role.label == "牵头" else a.department for a in m.assignments
    )
    lines = [
        (fmt.sentence(m.title) if m.title else "") + m.text,
        f"责任单位：{departments}{'等' if m.open_ended else ''}",
    ]
    if cooperating:
        lines.append(f"配合单位：{'、'.join(cooperating)}（向本单位报送进展，由本单位汇总报送）")
    if m.leaders:
        lines.append("责任领导：" + "、".join(m.leaders))
    if m.deadline_text:
        lines.append(f"完成时限（方案原文）：{m.deadline_text}")
    ends = [d for d in m.shown_dates if d.meaning.is_end]
    if ends:
        lines.append("；".join(f"{d.meaning.label}：{fmt.full_day(d.date)}" for d in ends))
    if m.targets:
        lines.append("量化指标：" + "、".join(m.targets))
    return lines


def measure_detail(
    prompt: Prompt,
    round_: Round,
    duty: Duty,
    report: Report | None,
    tz: str,
    awaiting: Status | None,
    label: Callable[[int], str] = str,
    cooperating: Sequence[str] = (),
) -> View:
    """One measure: its text, its departments, this round's report, and the status buttons; `cooperating`: the
    配合单位 that report to this lead, not to the bot (`[rounds] ask = "leads"`)."""
    m = duty.measure
    lines = [f"【{fmt.item(prompt.plan, label(m.number))}】本单位{duty.role.label}", *_facts(m, cooperating)]
    lines.append("")
    if report is None:
        lines.append(f"本轮状态：{UNREPORTED_MARK}{UNREPORTED_LABEL}")
    else:
        lines.append(
            f"本轮状态：{report.status.mark}{_label(report)}（{report.actor.name}，{fmt.short(report.at, tz)}）"
        )
        if report.note:
            lines.append(f"进展情况：{report.note}")
        elif awaiting is None:
            lines.append("进展情况：未填写（选填：点击“📝 补充说明”，或直接回复本消息）")
    if awaiting is not None:
        lines.append(f"待回复：已选择“{awaiting.label}”，请回复机器人的提示消息说明情况后生效。")
    lines.append(EVIDENCE_HINT)
    lines.append("请选择进展情况：")

    statuses = _status_buttons(prompt, m.number, report)
    rows = (
        statuses[:2],
        statuses[2:],
        (
            Button("📝 补充说明", encode(Press(Act.NOTE, prompt.id, m.number))),
            Button("« 返回清单", encode(Press(Act.BACK, prompt.id))),
        ),
    )
    choice = measure_choice(prompt, duty, report, label(m.number), awaiting)
    return View("\n".join(lines), rows, card_text=choice.text, choices=(choice,))


_REQUEST = re.compile(r"^【(?:\S+ )?措施([^】]+)】(.+?)：请回复本消息")  # `【营商环境 措施3】…` too


def read_note_request(text: str) -> tuple[str, str, Status | None] | None:
    """The bot's own request for a note, read back from its text: (the measure's label, respondent, status it
    completes)."""
    m = _REQUEST.match(text)
    if m is None:
        return None
    status = Status.DONE if "记为“已完成”" in text else Status.BLOCKED if "记为“有困难”" in text else None
    return m.group(1), m.group(2), status


def note_request(measure: str, status: Status | None, respondent: str) -> View:
    """A ForceReply asking for the note (`measure`: the item as messages name it, `措施3` or `营商环境 措施3`);
    the reply to it is the note."""
    if status is None:
        text = f"【{measure}】{respondent}：请回复本消息，补充说明进展情况。"
    elif status is Status.DONE:
        text = f"【{measure}】{respondent}：请回复本消息，简要说明完成情况（必填），回复后记为“已完成”。"
    else:
        text = f"【{measure}】{respondent}：请回复本消息，说明遇到的困难和需要协调的事项（必填），回复后记为“有困难”。"
    said = f"【{measure}】{respondent}：请在本群@机器人（或在与机器人的单聊中）" + {
        None: "补充说明进展情况。",
        Status.DONE: "简要说明完成情况（必填），说明后记为“已完成”。",
    }.get(status, "说明遇到的困难和需要协调的事项（必填），说明后记为“有困难”。")
    return View(text, force_reply=True, placeholder=f"{measure}的说明", card_text=said)
