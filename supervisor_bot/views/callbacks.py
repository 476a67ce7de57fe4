"""Callback data for the checklist's buttons: short, ≤ 64 bytes, and parsed strictly.

`pg|P|2` page 2 · `ms|P|8` show measure 8 · `st|P|8|d` set measure 8 to 已完成 · `nt|P|8` add a note ·
`bk|P` back to the list — where P is the checklist's prompt id. Anything else is forged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.status import Status

MAX_BYTES = 64
_PROMPT_ID = re.compile(r"[0-9a-z]{1,12}")
# a page or measure number as `encode` writes it: ASCII digits, no sign, no leading zero ("²" and "０８" are
# digits to str.isdigit, and int() refuses the first)
NUMBER = re.compile(r"0|[1-9][0-9]{0,3}")


class Act(StrEnum):
    PAGE = "pg"
    MEASURE = "ms"
    STATUS = "st"
    NOTE = "nt"
    BACK = "bk"


@dataclass(frozen=True)
class Press:
    act: Act
    prompt_id: str
    number: int = 0  # the page, or the measure
    status: Status | None = None


def encode(press: Press) -> str:
    parts = [press.act.value, press.prompt_id]
    if press.act is not Act.BACK:
        parts.append(str(press.number))
    if press.act is Act.STATUS:
        assert press.status is not None
        parts.append(press.status.code)
    data = "|".join(parts)
    assert len(data.encode()) <= MAX_BYTES, data
    return data


def decode(data: str | None) -> Press | None:
    """The press, or None for data this bot never made (its own is ASCII: a lone surrogate cannot be encoded)."""
    if not data or not data.isascii() or len(data) > MAX_BYTES:
        return None
    parts = data.split("|")
    try:
        act = Act(parts[0])
    except ValueError:
        return None
    expected = {Act.BACK: 2, Act.STATUS: 4}.get(act, 3)
    if len(parts) != expected or not _PROMPT_ID.fullmatch(parts[1]):  # fullmatch: `$` would let "id\n" through
        return None
    if act is Act.BACK:
        return Press(act, parts[1])
    if not NUMBER.fullmatch(parts[2]):
        return None
    status = None
    if act is Act.STATUS:
        status = Status.from_code(parts[3])
        if status is None:
            return None
    return Press(act, parts[1], int(parts[2]), status)
