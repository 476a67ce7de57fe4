"""The weekly digest for the government office and leaders, in the form a 督办周报 takes."""

from __future__ import annotations

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest
from supervisor_bot.views import fmt, scoring
from supervisor_bot.views.new_reports import new_reports_lines


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    delta = now - before
    return f"（较上周{'+' if delta > 0 else ''}{delta}）" if delta else "（与上周持平）"


def digest_text(d: Digest) -> str:
    total = sum(d.totals.values())
    prev = d.previous_totals
    lines = [f"【督办周报】{d.title}", f"统计时间：{fmt.full_day(d.period_start)}至{fmt.full_day(d.period_end)}", ""]
    lines.append("一、总体情况")
    parts = [f"{p.label}{d.totals[p]}项{_change(d.totals[p], prev.get(p) if prev else None)}" for p in PROGRESS_ORDER]
    lines.append(f"全部{total}项措施中，" + "，".join(parts) + "。")
    lines += new_reports_lines(d)
    lines += ["", "二、分部分情况"]
    for s in d.sections:
        counts = "、".join(f"{p.label}{s.counts[p]}" for p in PROGRESS_ORDER if s.counts[p])
        lines.append(f"{s.label}、{s.title}（{sum(s.counts.values())}项）：{counts}")
    lines += ["", f"三、红灯事项（{len(d.red)}项）"]
    if not d.red:
        lines.append("无。")
    for row in d.red:
        lines.append(f"🔴 措施{row.measure} {row.respondent}（{row.role.label}）：{row.reason}，{row.level.label}")
    lines += ["", "四、按时报送率较低的单位"]
    if not d.lowest_on_time:
        lines.append("各单位均按时报送。")
    for o in d.lowest_on_time:
        lines.append(f"{o.respondent}：{o.rate:.0%}（按时{o.on_time}项／应报{o.due}项）")
    scored = scoring.digest_line(d.scores) if d.scores is not None else None
    if scored is not None:
        lines.append(scored)
    lines += ["", "五、近期时限"]
    if not d.upcoming:
        lines.append("近30日无到期事项。")
    for u in d.upcoming[:15]:
        lines.append(f"{fmt.day(u.date)}：{u.what}")
    lines += ["", "六、约谈情况"]
    if not d.interviews_held and not d.interviews_pending:
        lines.append("本期无约谈。")
    for i in d.interviews_held:
        lines.append(f"已约谈：{i.respondent}（{fmt.full_day(i.when) if i.when else ''}）{i.text}")
    for i in d.interviews_pending:
        lines.append(f"待约谈：{i.respondent}（拟{fmt.day(i.when) if i.when else ''}）{i.text}")
    lines += ["", "附件：督办台账（Excel）、分部分进展图"]
    return "\n".join(lines)
