"""考核 texts: a period's scores, one unit's deductions each traced to its event, the digest's lines."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.chinese_numerals import to_numeral
from supervisor_bot.core.office import Office
from supervisor_bot.core.scoring import Deduction, Period, Rule, Scorecard, UnitScore, period_of
from supervisor_bot.views import fmt

NOT_ALLOWED = "考核得分仅限协调员和领导查看。"


def usage(office: Office, today: dt.date) -> str:
    """With one of the deployment's units and periods counted from today."""
    unit, quarter = office.example_unit, f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"用法：/score、/score 单位名称 或 /score 单位名称 期间，例如：/score {unit}、/score {quarter}、/score {unit} {today:%Y-%m}"


def bad_period(written: str, office: Office, today: dt.date) -> str:
    year = today.year
    return f"无法识别期间“{written}”。请写作 {year}（年度）、{year}-Q4（季度）或 {year}-09（月份）。\n{usage(office, today)}"


def not_scored(unit: str) -> str:
    return f"{unit}尚未绑定报送群组（或不参加报送），不参加考核。"


def period_name(period: Period) -> str:
    """2021年9月 · 2021年第四季度 · 2021年度, or the dates for any other span."""
    start, end = period.start, period.end
    if period == period_of("month", start):
        return f"{start.year}年{start.month}月"
    if period == period_of("quarter", start):
        return f"{start.year}年第{to_numeral((start.month + 2) // 3)}季度"
    if period == period_of("year", start):
        return f"{start.year}年度"
    return f"{fmt.full_day(start)}至{fmt.full_day(end)}"


def points(value: float) -> str:
    return f"{value:g}分"


def _signed(value: float) -> str:
    return f"+{value:g}分" if value > 0 else f"{value:g}分"


def _rate(on_time: int, due: int) -> str:
    return f"{on_time}/{due}（{on_time / due:.0%}）" if due else "无应报事项"


def _heading(card: Scorecard, tz: str) -> str:
    end = min(card.period.end, fmt.local(card.at, tz).date())
    as_of = f"，截至{fmt.short(card.at, tz)}" if end < card.period.end else ""
    return f"【考核得分】{period_name(card.period)}（{fmt.full_day(card.period.start)}至{fmt.full_day(card.period.end)}{as_of}）"


def extremes(card: Scorecard) -> tuple[str, str] | None:
    """The lowest and the highest, each with how many share it: `商河县93.5分`, `市财政局等12个单位100分`."""
    if not card.scores:
        return None

    def named(score: float) -> str:
        tied = [s.unit for s in card.scores if s.score == score]
        who = tied[0] if len(tied) == 1 else f"{tied[0]}等{len(tied)}个单位"
        return f"{who}{points(score)}"

    return named(card.scores[0].score), named(card.scores[-1].score)


def summary(card: Scorecard, tz: str) -> str:
    """Every scored unit, lowest first, with its figures."""
    lines = [_heading(card, tz)]
    if not card.scores:
        return lines[0] + "\n尚无参加考核的单位（单位绑定报送群组后参加考核）。"
    low_high = extremes(card)
    lines.append(f"共{len(card.scores)}个单位参加考核，基础分{points(card.rules.start)}。")
    if low_high is not None and card.scores[0].score != card.scores[-1].score:
        lines.append(f"最低：{low_high[0]}；最高：{low_high[1]}")
    elif low_high is not None:
        lines.append(f"各单位得分相同，均为{points(card.scores[0].score)}。")
    lines.append("")
    for i, s in enumerate(card.scores, start=1):
        lines.append(
            f"{i}. {s.unit} {points(s.score)}　逾期{s.overdue}项　约谈{s.interviews}次　"
            f"按时报送：牵头{_short_rate(s.lead_on_time, s.lead_due)}，配合{_short_rate(s.co_on_time, s.co_due)}"
        )
    lines += ["", "查看某单位扣分明细：/score 单位名称"]
    return "\n".join(lines)


def _short_rate(on_time: int, due: int) -> str:
    return f"{on_time / due:.0%}" if due else "—"


def describe(d: Deduction, card: Scorecard, tz: str) -> str:
    """One deduction with the event it comes from: date, rule, measure, round, detail, points."""
    e = d.event
    local = fmt.local(e.at, tz)
    when = f"{local.month}月{local.day}日" if e.rule is Rule.INTERVIEW else fmt.short(e.at, tz)
    text = f"{when} {e.rule.label}"
    if e.measure is not None:
        text += f" {fmt.item(e.plan, card.label(e.measure, e.plan))}"
    elif e.plan:
        text += f"（{e.plan}）"
    if e.round_id is not None and e.rule in (Rule.LATE_REPORT, Rule.MISSING_REPORT):
        text += f"（{fmt.round_name(e.round_id)}）"
    if e.detail and e.rule is Rule.EARLY_DONE:
        text += f"（时限{fmt.full_day(dt.date.fromisoformat(e.detail))}，已销号）"
    elif e.detail and e.rule in (Rule.INTERVIEW, Rule.RETURNED):
        text += f"：{fmt.clip(e.detail, 40)}"
    return f"{text}　{_signed(d.points)}"


def unit_detail(score: UnitScore, card: Scorecard, tz: str) -> str:
    lines = [
        _heading(card, tz),
        f"单位：{score.unit}",
        f"得分：{points(score.score)}（基础分{points(card.rules.start)}）",
        f"按时报送率：牵头事项{_rate(score.lead_on_time, score.lead_due)}；配合事项{_rate(score.co_on_time, score.co_due)}",
        f"完成事项{score.completed}项；逾期事项{score.overdue}项；约谈{score.interviews}次",
    ]
    if not score.deductions:
        lines.append("本期无扣分事项。")
        return "\n".join(lines)
    lines.append("扣分与加分明细：")
    plans = list(dict.fromkeys(d.event.plan for d in score.deductions))
    n = 0
    for plan in plans:  # several plans: the deductions listed by plan
        if plan:
            lines.append(f"【{plan}】")
        for d in (d for d in score.deductions if d.event.plan == plan):
            n += 1
            lines.append(f"{n}. {describe(d, card, tz)}")
    return "\n".join(lines)


def digest_line(card: Scorecard) -> str | None:
    """The digest's line: the period's lowest and highest so far."""
    low_high = extremes(card)
    if low_high is None:
        return None
    if card.scores[0].score == card.scores[-1].score:  # one sentence, not 最低 X等47个单位；最高 X等47个单位
        return (
            f"考核得分（{period_name(card.period)}累计）：{len(card.scores)}个单位均为{points(card.scores[0].score)}。"
        )
    return f"考核得分（{period_name(card.period)}累计）：最低 {low_high[0]}；最高 {low_high[1]}"
