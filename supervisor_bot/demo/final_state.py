"""The state of every measure: each respondent's latest report over all rounds."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.queries import Item, items, tally
from supervisor_bot.core.reports import Report
from supervisor_bot.core.status import UNREPORTED_LABEL, UNREPORTED_MARK, Status
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt


def latest_reports(rt: Runtime) -> dict[tuple[int, str], Report]:
    latest: dict[tuple[int, str], Report] = {}
    for round_ in rt.store.rounds():
        latest.update(rt.store.reports(round_.id))
    return latest


def _state(item: Item) -> str:
    return (
        f"{item.report.status.mark}{item.report.status.label}"
        if item.report
        else f"{UNREPORTED_MARK}{UNREPORTED_LABEL}"
    )


def final_state(rt: Runtime, now: dt.datetime) -> str:
    selected = items(rt.matrix, latest_reports(rt))
    t = tally(selected)
    local = fmt.local(now, rt.tz)
    plan = f"【{rt.plan}】{rt.office.plan_title}" if rt.plan else ""
    lines = [
        f"【各项措施落实情况】截至{fmt.full_day(local.date())}，共{len(rt.store.rounds())}轮报送",
        *([plan] if plan else []),
    ]
    lines.append(
        "　".join(
            f"{s.mark}{s.label} {t.by_status[s]}"
            for s in (Status.DONE, Status.IN_PROGRESS, Status.BLOCKED, Status.NOT_STARTED)
        )
        + f"　{UNREPORTED_MARK}{UNREPORTED_LABEL} {t.unreported}（措施×责任单位，共{t.total}项）"
    )
    for section in rt.matrix.sections:
        lines += ["", f"{section.label}、{section.title}"]
        for measure in (m for m in rt.matrix.measures if m.section == section.number):
            lines.append(f"{measure.number:>3}. {fmt.clip(measure.text, 36)}")
            mine = [i for i in selected if i.measure.number == measure.number]
            parts = [f"{i.respondent.name}{'（牵头）' if i.role.value == 'lead' else ''}{_state(i)}" for i in mine]
            lines.append("     " + "　".join(parts))
    return "\n".join(lines)
