"""Why a ticket's button or a 退回 reason was refused (services decide; views.bureau says it)."""

from __future__ import annotations

import enum


class TicketRefusal(enum.Enum):
    NOT_COORDINATOR = "not_coordinator"
    UNKNOWN = "unknown"  # forged, expired, or pressed in another chat
    DECIDED = "decided"  # a closure already 销号 or 退回
    EMPTY_REASON = "empty_reason"
    LONG_REASON = "long_reason"
