"""The digest of several plans: one text for the leaders, a section per plan and a combined ranking."""

from __future__ import annotations

from supervisor_bot.core.ledger import PROGRESS_ORDER
from supervisor_bot.core.plan_digest import CombinedDigest
from supervisor_bot.views import fmt
from supervisor_bot.views.digest import digest_text
from supervisor_bot.views.plan_answers import plan_heading

_NUMBERS = "一二三四五六七八九十"


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n + 1)


def combined_text(c: CombinedDigest) -> str:
    d = c.first
    total = sum(c.totals.values())
    lines = [f"【{d.kind}】{c.title}", *([f"报：{d.addressee}"] if d.addressee else [])]
    lines += [f"统计时间：{fmt.period(d.period_start, d.period_end)}", "", "一、总体情况"]
    counts = "，".join(f"{p.label}{c.totals[p]}项" for p in PROGRESS_ORDER)
    lines.append(f"共{len(c.plans)}个方案、{total}项措施：{counts}。")
    for s in c.plans:
        part = "、".join(f"{p.label}{s.digest.totals[p]}" for p in PROGRESS_ORDER if s.digest.totals[p])
        lines.append(f"{s.key}（{sum(s.digest.totals.values())}项）：{part}")
    lines += ["", "二、综合排名（按时报送率，各方案合计，每个事项计一次）"]
    if not c.lowest:
        lines.append("各单位均按时报送。" if c.ranking else "尚无已过报送截止时间的轮次。")
    for o in c.lowest:
        lines.append(f"{o.respondent}：{o.rate:.0%}（按时{o.on_time}项／应报{o.due}项）")
    for n, s in enumerate(c.plans, start=2):
        body = digest_text(s.digest).split("\n")
        start = body.index("一、总体情况")
        lines += ["", f"{_number(n)}、{plan_heading(s.key, s.title)}", *body[start:-2]]
    lines += ["", "附件：督办台账（Excel，汇总及各方案分表）、各方案分部分进展图"]
    return "\n".join(lines)
