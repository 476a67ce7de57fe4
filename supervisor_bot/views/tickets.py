"""Callback data for the bureau's tickets (督办单, 办结核实): short, ≤ 64 bytes, parsed strictly.

`tx|T|8` extension choices for measure 8 · `tg|T|8|5` extend by 5 working days · `tr|T|8` mark 已核实 ·
`tb|T` back · `cs|T` 销号 · `ct|T` 退回 — where T is the ticket's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.views.callbacks import MAX_BYTES, NUMBER

_TICKET_ID = re.compile(r"[0-9a-z]{1,12}")
PATTERN = r"^(tx|tg|tr|tb|cs|ct)\|"
EXTENSION_CHOICES = (3, 5, 10)  # working days


class TicketAct(StrEnum):
    EXTEND_CHOICES = "tx"
    EXTEND = "tg"
    RESOLVE = "tr"
    BACK = "tb"
    CLOSE = "cs"
    RETURN = "ct"


_ARITY = {
    TicketAct.EXTEND_CHOICES: 3,
    TicketAct.EXTEND: 4,
    TicketAct.RESOLVE: 3,
    TicketAct.BACK: 2,
    TicketAct.CLOSE: 2,
    TicketAct.RETURN: 2,
}


@dataclass(frozen=True)
class TicketPress:
    act: TicketAct
    ticket_id: str
    measure: int = 0
    workdays: int = 0


def encode(press: TicketPress) -> str:
    parts = [press.act.value, press.ticket_id]
    if _ARITY[press.act] >= 3:
        parts.append(str(press.measure))
    if press.act is TicketAct.EXTEND:
        parts.append(str(press.workdays))
    data = "|".join(parts)
    assert len(data.encode()) <= MAX_BYTES, data
    return data


def decode(data: str | None) -> TicketPress | None:
    if not data or not data.isascii() or len(data) > MAX_BYTES:  # the bot's own data is ASCII
        return None
    parts = data.split("|")
    try:
        act = TicketAct(parts[0])
    except ValueError:
        return None
    if len(parts) != _ARITY[act] or not _TICKET_ID.fullmatch(parts[1]):
        return None
    numbers = parts[2:]
    if not all(NUMBER.fullmatch(n) for n in numbers):
        return None
    measure = int(numbers[0]) if numbers else 0
    workdays = int(numbers[1]) if len(numbers) > 1 else 0
    if act is TicketAct.EXTEND and workdays not in EXTENSION_CHOICES:
        return None
    return TicketPress(act, parts[1], measure, workdays)
