"""The document's particulars from the lines above its first section: number, issuer, date, title, contact."""

from __future__ import annotations

import datetime as dt
import re

from supervisor_bot.core.matrix import Contact, Document
from supervisor_bot.core.plan_text import Line, normalise

_NUMBER_TAIL = r"[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号"
_NUMBER_LINE = re.compile(r"^([\u4e00-\u9fff]{1,10})" + _NUMBER_TAIL + "$")
_NUMBER_IN_TEXT = re.compile(r"([\u4e00-\u9fff]{0,4}(?:办函|办发|办字|发|函|字|令))" + _NUMBER_TAIL)
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISSUER = re.compile(r"(?:人民政府|办公厅|办公室|委员会|政府|局|厅|委|部|办)$")
# a title may end in a remark in brackets: 《…办法（试行）》, 分工方案（征求意见稿）, （演示用）
_TITLE_END = re.compile(
    r"(?:通知|方案|意见|办法|决定|规定|批复|报告|清单|措施|要点|分解表|任务表|计划)(?:[（(][^（）()]{1,8}[）)])?$"
)
_QUOTED = re.compile(r"[《«]([^《》«»]+)[》»]")
_CONTACT = re.compile(r"[（(]\s*联系(?:电话|人|方式)\s*[:：](.+?)[)）]")
_PHONE = re.compile(r"[\d\-－—]{5,}(?:[、，,]\s*[\d\-－—]{5,})*")
_DIRECTIVE = re.compile(r"印发给你们|现予印发|印发如下")


def document_number(lines: list[str]) -> str | None:
    """`济政办函〔２０２１〕１６号` in any bracket style → 济政办函〔2021〕16号; a line of its own first."""
    m = next(filter(None, map(_NUMBER_LINE.match, lines)), None) or _NUMBER_IN_TEXT.search("".join(lines))
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else None


def _date(lines: list[str]) -> tuple[int, dt.date | None]:
    for i, text in enumerate(lines):
        m = _DATE_LINE.match(text)
        if m:
            try:
                return i, dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return -1, None


def _issuer(lines: list[str], date_index: int) -> str | None:
    if date_index > 0 and _ISSUER.search(lines[date_index - 1]):
        return lines[date_index - 1]
    return lines[0] if lines and _ISSUER.search(lines[0]) else None


def _title(lines: list[str]) -> str | None:
    """From the line starting 关于 to the one ending in 通知/方案/…, with the issuer line above it."""
    for i, text in enumerate(lines):
        if text.startswith("关于"):
            parts = [text]
            for following in lines[i + 1 : i + 4]:
                if _TITLE_END.search(parts[-1]):
                    break
                parts.append(following)
            if not _TITLE_END.search(parts[-1]):
                return None
            prefix = lines[i - 1] if i > 0 and _ISSUER.search(lines[i - 1]) else ""
            return prefix + "".join(parts)
    return None


def _plan_title(joined: str, lines: list[str]) -> str | None:
    """The plan the notice sends out (现将《…》印发给你们), else the last title-like line before the text."""
    for m in _QUOTED.finditer(joined):
        if _DIRECTIVE.search(joined[m.end() : m.end() + 12]):
            return m.group(1)
    candidates = [t for t in lines if _TITLE_END.search(t) and not t.startswith("关于") and len(t) <= 40]
    return candidates[-1] if candidates else None


def _contact(joined: str) -> Contact | None:
    m = _CONTACT.search(joined)
    if not m:
        return None
    text = m.group(1).strip("，；。 ")
    phone = _PHONE.search(text)
    unit = re.sub(r"[，；。、\s]*(?:联系)?电话[:：]?$", "", text[: phone.start()]).strip("，；。、 ") if phone else text
    return Contact(text, unit, phone.group(0) if phone else "")


def read_header(header: list[Line]) -> Document:
    lines = [normalise(line.text) for line in header]
    joined = "".join(lines)
    date_index, date = _date(lines)
    return Document(
        number=document_number(lines),
        issuer=_issuer(lines, date_index),
        date=date,
        title=_title(lines),
        plan_title=_plan_title(joined, lines),
        contact=_contact(joined),
    )
