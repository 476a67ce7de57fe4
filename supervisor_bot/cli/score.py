"""`python main.py score --from 2021-09-01 --to 2021-12-31 [--json] [--xlsx OUT]`: 考核 scores from stored data."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pendulum

from supervisor_bot.composition.reading import assembled_for_reading
from supervisor_bot.core.scoring import Period, Scorecard
from supervisor_bot.services.scoring import scorecard_all
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.views import scoring as texts


def _date(option: str, written: str) -> dt.date:
    try:
        return dt.date.fromisoformat(written)
    except ValueError:
        raise ConfigError("命令行", option, f"“{written}”不是日期，例如 2021-09-01") from None


def write_scores(start: str, end: str, as_json: bool, xlsx: Path | None) -> int:
    period = Period(_date("--from", start), _date("--to", end))
    if period.end < period.start:
        raise ConfigError("命令行", "--to", f"结束日期 {end} 早于开始日期 {start}")
    settings = load_settings()
    with assembled_for_reading(settings) as assembled:  # a copy: the live store is never written
        rt = assembled.runtime
        card = scorecard_all(assembled.runtimes or (rt,), period, assembled.clock.now())
    if as_json:
        json.dump(card_json(card, rt.tz), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(texts.summary(card, rt.tz) + "\n")
        for score in card.scores:
            if score.deductions:
                sys.stdout.write("\n" + texts.unit_detail(score, card, rt.tz) + "\n")
    if xlsx is not None:
        from supervisor_bot.exports.score_xlsx import write_scores as write_workbook  # XlsxWriter, when asked

        write_workbook(card, xlsx, rt.tz)
        print(f"已写出考核表：{xlsx}", file=sys.stderr)
    return 0


def _iso(moment: dt.datetime, tz: str) -> str:
    return str(pendulum.instance(moment).in_timezone(tz).isoformat())


def card_json(card: Scorecard, tz: str) -> dict[str, Any]:
    """The scorecard as JSON: the period, the rules, and each unit with its figures and its deductions."""
    rules = card.rules
    return {
        "from": card.period.start.isoformat(),
        "to": card.period.end.isoformat(),
        "generated_at": _iso(card.at, tz),
        "rules": {
            "start": rules.start,
            "overdue_lead": rules.overdue_lead,
            "overdue_co": rules.overdue_co,
            "late_report": rules.late_report,
            "missing_report": rules.missing_report,
            "interview": rules.interview,
            "returned": rules.returned,
            "early_done": rules.early_done,
            "credit_cap": rules.credit_cap,
        },
        "units": [
            {
                "unit": s.unit,
                "score": s.score,
                "lead_due": s.lead_due,
                "lead_on_time": s.lead_on_time,
                "lead_on_time_rate": s.lead_rate,
                "co_due": s.co_due,
                "co_on_time": s.co_on_time,
                "co_on_time_rate": s.co_rate,
                "completed": s.completed,
                "overdue": s.overdue,
                "interviews": s.interviews,
                "deductions": [
                    {
                        "rule": d.event.rule.value,
                        "label": d.event.rule.label,
                        "at": _iso(d.event.at, tz),
                        "measure": d.event.measure,
                        "measure_label": (
                            card.label(d.event.measure, d.event.plan) if d.event.measure is not None else None
                        ),
                        "plan": d.event.plan,
                        "round": d.event.round_id,
                        "detail": d.event.detail,
                        "points": d.points,
                    }
                    for d in s.deductions
                ],
            }
            for s in card.scores
        ],
    }
