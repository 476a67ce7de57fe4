"""The digest's words on what is new since the last digest: how many reports, of which kind, and which."""

from __future__ import annotations

from supervisor_bot.core.ledger import Digest, LedgerRow
from supervisor_bot.views import fmt

LISTED = 10  # items named per kind; the rest are counted
_KINDS = ("已完成", "推进中", "有困难", "未启动")
TZ = "Asia/Shanghai"


def _kind(row: LedgerRow) -> str:
    return "已完成" if row.status.startswith("已完成") or row.status == "已销号" else row.status


def _named(rows: list[LedgerRow]) -> str:
    shown = "、".join(f"措施{r.shown}（{r.respondent}）" for r in rows[:LISTED])
    return shown + (f"等{len(rows)}项" if len(rows) > LISTED else "")


def new_reports_lines(d: Digest, tz: str = TZ) -> list[str]:
    """`本期新报送…` with the new 已完成 and 有困难 named (marked 新 in the ledger)."""
    new = [row for row in d.ledger if row.new]
    since = f"自上期{d.kind[2:]}（{fmt.short(d.new_since, tz)}）以来" if d.new_since else "本轮开始以来"
    if not new:
        return [f"本期新报送：{since}无新报送。"]
    counts = "、".join(f"{k}{n}项" for k in _KINDS if (n := sum(1 for r in new if _kind(r) == k)))
    lines = [f"本期新报送：{since}新报送{len(new)}项（{counts}），督办台账中标“新”。"]
    for kind in ("已完成", "有困难"):
        rows = [r for r in new if _kind(r) == kind]
        if rows:
            lines.append(f"新报{kind}：{_named(rows)}")
    return lines
