"""The control API as a client: what tests and the demo use to act as people and to read what the bot posted."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Button:
    label: str
    key: str


@dataclass(frozen=True)
class Seen:
    """A message as a person sees it: words, a card (its id, to press it, and its buttons), or a file."""

    chat: str
    text: str = ""
    card: str = ""
    title: str = ""
    buttons: tuple[Button, ...] = ()
    file: str = ""  # a file's or a picture's name
    picture: bool = False


def _seen(message: dict[str, Any]) -> Seen:
    chat, kind = str(message["chat"]), message["kind"]
    if kind in ("file", "image"):
        return Seen(chat, file=str(message["file"]["name"]), picture=kind == "image")
    card = message.get("card")
    if card is None:
        return Seen(chat, text=str(message["content"]))
    buttons = tuple(Button(str(b["text"]), str(b["key"])) for b in card.get("button_list", []))
    return Seen(
        chat, card=str(card["task_id"]), title=str(card.get("main_title", {}).get("title", "")), buttons=buttons
    )


class Control:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def call(self, action: str, **body: Any) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(f"{self.url}/control/{action}", json=body) as response:
            if response.status != 200:
                raise RuntimeError(f"{action}: {response.status} {await response.text()}")
            result: dict[str, Any] = await response.json()
            return result

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def say(self, user: str, text: str, chat: str = "", mention: bool = True) -> bool:
        found = await self.call("say", userid=user, chatid=chat or user, text=text, mention=mention)
        return bool(found["delivered"])

    async def press(self, user: str, task_id: str, key: str, times: int = 1) -> str:
        return str((await self.call("press", userid=user, task_id=task_id, key=key, times=times))["req_id"])

    async def send_file(self, user: str, name: str, data: bytes, chat: str = "", age: float = 0) -> bool:
        encoded = base64.b64encode(data).decode()
        found = await self.call("file", userid=user, chatid=chat or user, name=name, base64=encoded, age=age)
        return bool(found["delivered"])

    async def messages(self, chat: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        """What the bot posted (in `chat`, or everywhere), after the first `after` messages."""
        found = await self.call("messages", after=after, **({"chatid": chat} if chat else {}))
        return list(found["messages"])

    async def seen(self, after: int = 0) -> list[Seen]:
        """What people see the bot post, after the first `after` messages (everywhere)."""
        return [_seen(m) for m in await self.messages(after=after)]
