"""What `matrix PLAN` ends with: a summary a clerk checks against the document in minutes.

Measures per section, the units, how many measures each unit leads, which measures have a deadline and which do
not, and every warning the import raised (docs/plans.md: a reading exists, but it is unusual).
"""

from __future__ import annotations

from collections.abc import Iterable

from supervisor_bot.core.matrix import Matrix, Role
from supervisor_bot.core.plan_measures import ImportProblem

_WIDTH = 100  # characters a line, about a terminal's width in Chinese


def _wrapped(prefix: str, items: list[str]) -> list[str]:
    """Items joined by `、` on lines no wider than a screen, the first one after its prefix."""
    lines: list[str] = []
    current = prefix
    for item in items:
        if len(current) + len(item) > _WIDTH // 2 and current.strip():
            lines.append(current.rstrip("、"))
            current = "  "
        current += item + "、"
    lines.append(current.rstrip("、"))
    return lines


def warnings_lines(problems: Iterable[ImportProblem]) -> list[str]:
    """Every warning of the import, one a line."""
    found = [str(p) for p in problems]
    return [f"提示（{len(found)}条）：", *(f"  {p}" for p in found)] if found else ["提示：无"]


def matrix_summary(matrix: Matrix, problems: Iterable[ImportProblem]) -> str:
    lines = ["", "—— 核对摘要（请与方案原文逐项核对）——"]
    counts = [f"{s.label}、{s.title} {sum(m.section == s.number for m in matrix.measures)}项" for s in matrix.sections]
    unsectioned = sum(m.section == 0 for m in matrix.measures)
    if unsectioned and matrix.sections:
        counts.append(f"未分部分 {unsectioned}项")
    lines += _wrapped(f"措施：共{len(matrix.measures)}项" + ("；" if counts else ""), counts)
    leads = sorted(
        ((len(matrix.measures_of(d.name, Role.LEAD)), d.name) for d in matrix.departments), key=lambda c: (-c[0], c[1])
    )
    lines.append(f"责任单位：共{len(matrix.departments)}个")
    lines += _wrapped("牵头措施数：", [f"{name} {count}" for count, name in leads if count])
    if any(count == 0 for count, _ in leads):
        lines.append(f"  其余{sum(count == 0 for count, _ in leads)}个单位只配合、不牵头")
    found = [m for m in matrix.measures if m.deadline_text or m.end_date]
    missing = [matrix.label(m.number) for m in matrix.measures if not (m.deadline_text or m.end_date)]
    lines.append(f"完成时限：找到{len(found)}项，未找到{len(missing)}项")
    if missing:
        lines += _wrapped("  未找到完成时限的措施：", missing)
    lines += warnings_lines(problems)
    return "\n".join(lines) + "\n"
