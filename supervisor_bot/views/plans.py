"""A revised plan in words: `plan diff`, `plan update`, and the refusal to start on a plan the data was not made
under."""

from __future__ import annotations

from supervisor_bot.core.plan_diff import Change, MeasureChange, PlanDiff, PlanMeasure

_ROLE = {"lead": "牵头", "co": "配合"}


def _name(m: PlanMeasure) -> str:
    label = m.label.strip()
    shown = f"措施{m.number}" + (f"（{label}）" if label and label.rstrip(".．、") != str(m.number) else "")
    return shown


def _units(m: PlanMeasure) -> str:
    return "、".join(f"{u}（{_ROLE.get(r, r)}）" for u, r in m.units) or "无"


def _short(text: str, width: int = 40) -> str:
    text = text.rstrip("。；")
    return text if len(text) <= width else text[: width - 1] + "…"


def change_line(c: MeasureChange) -> str:
    """One line for a measure: what became of it."""
    if c.old is None or c.new is None:
        if c.new is not None:
            return f"新增 {_name(c.new)}：{_short(c.new.text)}；责任单位：{_units(c.new)}"
        if c.old is not None:
            return f"删除 {_name(c.old)}：{_short(c.old.text)}（原责任单位：{_units(c.old)}）"
        return ""
    parts = []
    if Change.RENUMBERED in c.changes:
        parts.append(f"重新编号 {_name(c.old)} → {_name(c.new)}")
    if Change.EDITED in c.changes:
        parts.append(f"文字修改（相似度{c.similarity:.0%}）")
    if Change.REASSIGNED in c.changes:
        parts.append(_reassigned(c))
    head = _name(c.new) if Change.RENUMBERED not in c.changes else ""
    return (f"{head}：" if head else "") + "；".join(parts)


def _reassigned(c: MeasureChange) -> str:
    said = [f"{off} → {on}（未办结事项移交{on}）" for off, on in c.handed]
    said += [f"不再由{u}负责（其未办结事项关闭）" for u in c.closed]
    said += [f"新增{u}" for u in c.joined]
    said += [f"{u}改为{'牵头' if c.new and dict(c.new.units)[u] == 'lead' else '配合'}" for u in c.roles]
    return "责任单位调整：" + "，".join(said)


def diff_text(diff: PlanDiff, old: str, new: str) -> str:
    if not diff.changes:
        return f"新方案与已存数据一致（{diff.unchanged}项措施无变化）。"
    counts = "、".join(
        f"{label}{diff.count(kind)}项"
        for kind, label in (
            (Change.ADDED, "新增"),
            (Change.REMOVED, "删除"),
            (Change.RENUMBERED, "重新编号"),
            (Change.REASSIGNED, "调整责任单位"),
            (Change.EDITED, "修改文字"),
        )
        if diff.count(kind)
    )
    lines = [f"方案修订：{old} → {new}", f"{counts}；{diff.unchanged}项无变化。", ""]
    lines += [f"· {change_line(c)}" for c in diff.changes]
    return "\n".join(lines)


def updated_text(diff: PlanDiff, resent: tuple[str, ...], new: str) -> str:
    lines = [f"已按新方案更新已存数据（{new}），每项变化已记入审计记录。"]
    if resent:
        lines.append(f"以下单位的本轮清单将重新发送（旧清单的按钮失效）：{'、'.join(resent)}")
    return "\n".join(lines)


def mismatch(plan_file: str, diff: PlanDiff) -> str:
    named = [c.new or c.old for c in diff.changes[:8]]
    summary = "、".join(_name(m) for m in named if m is not None)
    more = f"等{len(diff.changes)}项" if len(diff.changes) > 8 else ""
    return (
        f"方案文件与已存数据不一致：{summary}{more}有变化。已存的报送记录按原方案的措施编号保存，不能直接换用新方案。"
        f"请先运行 python main.py plan diff {plan_file} 查看差异，再运行 python main.py plan update {plan_file} 更新"
    )
