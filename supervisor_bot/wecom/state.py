"""The WeCom front's state: the application shell, the connection, and what a chat is waiting to be told."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from supervisor_bot.app.delivery import send_text
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.people import Actor, ChatId
from supervisor_bot.wecom.client import WeComClient
from supervisor_bot.wecom.messenger import WeComMessenger

SEEN = 10_000  # callbacks remembered by msgid: WeCom may deliver one twice


@dataclass
class Front:
    shell: Shell
    client: WeComClient
    messenger: WeComMessenger
    ca_file: str = ""
    returns: dict[ChatId, str] = field(default_factory=dict)  # a 退回 reason awaited in the bureau's chat: ticket id
    seen: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def first_time(self, msgid: str) -> bool:
        """False for a callback already handled (delivered again)."""
        if msgid in self.seen:
            return False
        self.seen[msgid] = None
        while len(self.seen) > SEEN:
            self.seen.popitem(last=False)
        return True

    async def say(self, chat: ChatId, text: str) -> None:
        await send_text(self.shell, chat, text)


def actor(user: str) -> Actor:
    """WeCom's callbacks name a person by userid only: it is their name in the records too."""
    return Actor(user, user)
