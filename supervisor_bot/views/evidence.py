"""佐证材料 in words: the confirmation, the refusals, and the files as listed beside a measure or a 办结核实."""

from __future__ import annotations

from collections.abc import Iterable

from supervisor_bot.core.evidence import MAX_BYTES, Evidence, EvidenceRefusal
from supervisor_bot.views import fmt

DECLINED = {
    EvidenceRefusal.TOO_LARGE: (
        f"文件超过{MAX_BYTES // (1024 * 1024)}MB，机器人无法接收（Telegram限制），未保存。"
        "请压缩或拆分后重新回复上传，或将材料另行报送协调处室。"
    ),
    EvidenceRefusal.NO_NAME: "该文件没有文件名，未保存。请以带文件名的文件（如“验收报告.pdf”）重新回复上传。",
    EvidenceRefusal.NO_MEASURE: (
        "未能确定佐证材料对应的措施，未保存。请在清单中点击措施编号后回复清单上传，或在文件说明中写明措施号，例如“措施9”。"
    ),
    EvidenceRefusal.NOT_RECEIVED: "文件未能接收，未保存。请稍后重新回复上传。",
}

NOT_FOR_EVIDENCE = (
    "如需上传佐证材料，请回复本群督办清单（先点击措施编号，或在文件说明中写明措施号，例如“措施9”），"
    "或回复机器人的说明提示消息。"
)

HINT = "佐证材料：可回复本消息上传文件或照片（不超过20MB）。"


def size(byte_count: int) -> str:
    if byte_count >= 1024 * 1024:
        return f"{byte_count / (1024 * 1024):.1f}MB"
    return f"{max(1, round(byte_count / 1024))}KB"


def kept(evidence: Evidence, count: int, who: str, label: str = "") -> str:
    """The confirmation of a file, the measure as its plan prints it (`label`), else by its number."""
    return (
        f"已收到佐证材料：{fmt.item(evidence.plan, label or evidence.measure)}“{evidence.name}”（{size(evidence.size)}，"
        f"{evidence.respondent}，{who}）。该措施已有佐证材料{count}份。"
    )


def for_bureau(evidence: Evidence, ticket_id: str) -> str:
    """The caption of a file sent to the bureau with its 办结核实."""
    return f"【佐证材料】{evidence.respondent}{fmt.item(evidence.plan, evidence.measure)}（办结核实B{ticket_id}）：{evidence.name}"


def names(files: Iterable[Evidence]) -> str:
    """`验收报告.pdf、照片-AbC.jpg`"""
    return "、".join(f.name for f in files)


def line(files: tuple[Evidence, ...], tz: str) -> str:
    """One line for /measure, a 办结核实 or a unit: the files, how many, the latest's time."""
    if not files:
        return "佐证材料：未提交"
    return f"佐证材料（{len(files)}份，最近{fmt.short(files[-1].at, tz)}）：{names(files)}"


def of_measure(files: tuple[Evidence, ...], tz: str) -> str:
    """/measure's closing lines: each unit's files for the measure (nothing when none came)."""
    units: dict[str, list[Evidence]] = {}
    for file in files:
        units.setdefault(file.respondent, []).append(file)
    if not units:
        return ""
    lines = ["", "佐证材料："]
    for unit, sent in units.items():
        lines.append(f"{unit}（{len(sent)}份）：" + "、".join(f"{f.name}（{fmt.short(f.at, tz)}）" for f in sent))
    return "\n".join(lines)
