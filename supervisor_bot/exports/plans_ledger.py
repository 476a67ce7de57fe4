"""The 督办台账 of several plans as one .xlsx: a 汇总 sheet over every plan (each plan's figures, the combined
ranking), one sheet per plan — its ledger, named by its key — and the 考核 sheet: one score per unit over every
plan, each deduction with its plan."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter import Workbook

from supervisor_bot.core.ledger import PROGRESS_ORDER
from supervisor_bot.core.plan_digest import CombinedDigest
from supervisor_bot.exports.ledger_xlsx import (
    SUMMARY_SHEET,
    TIMEZONE,
    Value,
    _emphasised,
    _Formats,
    _ledger_sheet,
    _table,
)
from supervisor_bot.exports.score_xlsx import SCORE_SHEET, score_sheet
from supervisor_bot.exports.sheet_text import write_text, xml_text

_TITLE = {"bold": True, "font_size": 14}


def sheet_name(key: str) -> str:
    """A plan's sheet: its key (Excel allows 31 characters and none of []:*?/\\); a key that is the name of
    the workbook's own sheets (汇总, 考核) gets 方案 after it."""
    name = "".join("_" if c in "[]:*?/\\" else c for c in key)[:29] or "方案"
    return f"{name}方案" if name in (SUMMARY_SHEET, SCORE_SHEET) else name


def write_plans_ledger(combined: CombinedDigest, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook(str(path), {"in_memory": True, "remove_timezone": True}) as workbook:
        workbook.set_properties({"title": xml_text(combined.title), "author": "督办机器人"})
        formats = _Formats(workbook)
        summary = workbook.add_worksheet(SUMMARY_SHEET)
        write_text(summary, 0, 0, combined.title, formats(_TITLE))
        first = combined.first
        write_text(summary, 1, 0, f"统计周期：{first.period_start.isoformat()} 至 {first.period_end.isoformat()}")
        titles = ["方案", *(p.label for p in PROGRESS_ORDER), "合计"]
        rows: list[list[Value]] = []
        for section in combined.plans:
            counts = [section.digest.totals[p] for p in PROGRESS_ORDER]
            rows.append([f"{section.key} {section.title}", *counts, sum(counts)])
        totals = [combined.totals[p] for p in PROGRESS_ORDER]
        rows.append(["合计", *totals, sum(totals)])
        after = _table(
            summary, formats, 3, "各方案进展（按措施计）", titles, rows, _emphasised(len(rows) - 1, len(titles))
        )
        ranking: list[list[Value]] = [[o.respondent, o.on_time, o.due, f"{o.rate:.0%}"] for o in combined.ranking]
        _table(
            summary,
            formats,
            after + 1,
            "综合排名（按时报送率，各方案合计）",
            ["单位", "按时", "应报", "按时报送率"],
            ranking,
            {},
        )
        summary.set_column(0, 0, 40)
        summary.set_column(1, len(titles) - 1, 10)
        for section in combined.plans:
            _ledger_sheet(workbook.add_worksheet(sheet_name(section.key)), formats, section.digest)
        if combined.scores is not None:
            score_sheet(workbook, combined.scores, TIMEZONE)
