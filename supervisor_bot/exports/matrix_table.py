"""The matrix as a readable table: for each department, the measures it leads and co-owns."""

from __future__ import annotations

from supervisor_bot.core.matrix import Matrix, Role


def _numbers(values: list[str]) -> str:
    return "、".join(values) if values else "—"


def matrix_table(matrix: Matrix) -> str:
    doc = matrix.document
    lines = []
    if doc.title or doc.plan_title:
        lines.append(doc.plan_title or doc.title or "")
    header = "，".join(
        part
        for part in (
            doc.number,
            doc.issuer,
            f"{doc.date.year}年{doc.date.month}月{doc.date.day}日" if doc.date else None,
        )
        if part
    )
    if header:
        lines.append(header)
    lines.append(f"共{len(matrix.sections)}个部分、{len(matrix.measures)}项措施、{len(matrix.departments)}个责任单位")
    lines.append("")
    rows = []
    for d in matrix.departments:
        leads = [matrix.label(m.number) for m in matrix.measures_of(d.name, Role.LEAD)]
        cos = [matrix.label(m.number) for m in matrix.measures_of(d.name, Role.CO)]
        rows.append((len(leads) + len(cos), d.name, leads, cos, d))
    rows.sort(key=lambda r: -r[0])
    for total, name, leads, cos, d in rows:
        mark = ("" if d.registered else "（未登记）") + ("" if d.reports else "（不报送）")
        members = f"（成员：{'、'.join(d.members)}）" if d.members else ""
        lines.append(f"{name}{mark}{members}：共{total}项")
        lines.append(f"  牵头 {len(leads)} 项：{_numbers(leads)}")
        lines.append(f"  配合 {len(cos)} 项：{_numbers(cos)}")
    return "\n".join(lines) + "\n"
