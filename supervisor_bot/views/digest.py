"""The weekly digest for the government office and leaders, in the form a 督办周报 takes."""

from __future__ import annotations

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest
from supervisor_bot.views import fmt, scoring
from supervisor_bot.views.new_reports import new_reports_lines


def _change(now: int, before: int | None, word: str) -> str:
    if before is None:
        return ""
    delta = now - before
    if not delta:
        return f"（与上{word}持平）"
    return f"（较上{word}{'增加' if delta > 0 else '减少'}{abs(delta)}项）"


def digest_text(d: Digest) -> str:
    total = sum(d.totals.values())
    prev = d.previous_totals
    lines = [f"【{d.kind}】{d.title}", *([f"报：{d.addressee}"] if d.addressee else [])]
    lines.append(f"统计时间：{fmt.period(d.period_start, d.period_end)}")
    if d.scheduled is not None:  # sent late: never a late time shown as if it were the schedule
        due, sent = fmt.day_time(d.scheduled, d.timezone), fmt.day_time(d.generated_at, d.timezone)
        lines.append(f"（本期{d.kind[2:]}原定{due}发送，于{sent}补发。）")
    lines.append("")
    lines.append("一、总体情况")
    parts = [
        f"{p.label}{d.totals[p]}项{_change(d.totals[p], prev.get(p) if prev else None, d.period_word)}"
        for p in PROGRESS_ORDER
    ]
    if total or not d.lead_unbound:
        lines.append(f"全部{total}项措施中，" + "，".join(parts) + "。")
    else:
        lines.append("各项措施的牵头单位均尚未绑定工作群，暂无统计。")
    if d.lead_unbound and total:
        shown = "、".join(f"措施{label}" for label in d.lead_unbound)
        lines.append(f"另有{len(d.lead_unbound)}项措施的牵头单位尚未绑定工作群，暂不计入：{shown}。")
    lines += new_reports_lines(d)
    lines += ["", "二、分部分情况"]
    for s in d.sections:  # （一）under 二、: the plan's own 一、 would clash with the digest's headings
        counts = "、".join(f"{p.label}{s.counts[p]}" for p in PROGRESS_ORDER if s.counts[p])
        lines.append(f"（{s.label}）{s.title}（{sum(s.counts.values())}项）：{counts}")
    lines += ["", f"三、红灯事项（{len(d.red)}项）"]
    if not d.red:
        lines.append("无。")
    for row in d.red:
        lines.append(f"🔴 措施{row.shown} {row.respondent}（{row.role.label}）：{row.reason}，{row.level.label}")
    lines += ["", f"四、按时报送率较低的单位（低于{d.low_rate_below}%）"]
    if not d.lowest_on_time:
        none = f"各单位按时报送率均不低于{d.low_rate_below}%。"
        lines.append(none if d.rated_rounds else "尚无已过报送截止时间的轮次。")
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
    lines += _interviews_and_unbound(d)
    lines += ["", "附件：督办台账（Excel）、分部分进展图"]
    return "\n".join(lines)


def _interviews_and_unbound(d: Digest) -> list[str]:
    """六、约谈情况; then the units not yet bound, listed apart (neither counted nor ranked)."""
    lines = ["", "六、约谈情况"]
    if not d.interviews_held and not d.interviews_pending:
        lines.append("本期无约谈。")
    for i in d.interviews_held:
        deadline = fmt.full_day(i.rectify_by) if i.rectify_by else "未定"
        held = f"（{fmt.full_day(i.when)}）" if i.when else ""
        lines.append(f"已约谈：{i.respondent}{held}，整改期限{deadline}。要点：{fmt.sentence(i.text)}")
    for i in d.interviews_pending:
        proposed = f"，拟于{fmt.day(i.when)}约谈" if i.when else ""
        lines.append(f"待约谈：{i.respondent}{proposed}。事由：{fmt.sentence(i.text)}")
    if d.unbound:
        lines += ["", f"尚未绑定工作群的单位（{len(d.unbound)}个，未绑定，不计入统计和排名）：" + "、".join(d.unbound)]
    return lines
