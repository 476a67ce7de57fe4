"""What the long connection's error codes mean for a send. The codes are WeCom's global error codes as the
sandbox answers them; docs/wecom.md says which could not be checked without a real tenant."""

from __future__ import annotations

from supervisor_bot.ports.messenger import NotSent

INVALID_CHAT = 40003  # no such chat or person: sending again won't help
INVALID_PARAMETER = 40058  # too long, too many buttons, a malformed card
NOT_ALLOWED = 48002  # the bot may not push there (a group that never @-mentioned it)
REMOVED = 86008  # the bot is no longer in that group
RATE_LIMITED = 45009
SYSTEM_BUSY = -1
UPDATE_EXPIRED = 60020  # a card update after the five-second window, or for another card
EXPIRED_MEDIA = 42001  # an upload or a media_id that is no longer valid

_FINAL = {
    INVALID_CHAT: NotSent.REFUSED,
    INVALID_PARAMETER: NotSent.REFUSED,
    NOT_ALLOWED: NotSent.REFUSED,
    REMOVED: NotSent.GONE,
}
RETRIABLE = frozenset({RATE_LIMITED, SYSTEM_BUSY})  # answered: nothing arrived, so trying again is safe


def meaning(errcode: int) -> NotSent:
    """A refusal's meaning; an unknown code is a refusal, not a reason to send again."""
    if errcode in RETRIABLE:
        return NotSent.FAILED
    return _FINAL.get(errcode, NotSent.REFUSED)
