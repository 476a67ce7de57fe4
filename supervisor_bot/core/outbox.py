"""Messages on their way out: an intent is recorded before a send and settled right after it.

A messenger has no idempotent send, so a crash between the send and the record of it can leave a message
delivered that the bot does not know of. An intent without a result, found after a restart, marks exactly those:
the message is sent again and the log says it is a possible duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from supervisor_bot.core.people import ChatId, MessageId


@dataclass(frozen=True)
class Intent:
    key: str  # what is being sent: a checklist, a ladder step's message, a piece of a digest
    chat: ChatId
    message: MessageId | None = None  # set once the messenger took it

    @property
    def settled(self) -> bool:
        return self.message is not None
