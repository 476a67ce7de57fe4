"""SandboxClient: the control API from another process (a test driving a bot that runs elsewhere)."""

from __future__ import annotations

import base64
import json
from types import TracebackType
from typing import Any, Self

import aiohttp

from .errors import SandboxError
from .records import JsonDict


class SandboxClient:
    """Async HTTP client for ``/control``; methods mirror ``Sandbox`` and return plain JSON."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(self, method: str, path: str, body: JsonDict | None = None, **query: Any) -> Any:
        """Call one control route; raises SandboxError (or TimeoutError for 408) on failure."""
        if self._session is None:
            raise RuntimeError("use 'async with SandboxClient(url) as client:'")
        params = {key: str(value) for key, value in query.items() if value is not None}
        async with self._session.request(
            method, f"{self.base_url}/control{path}", json=body, params=params
        ) as response:
            payload = await response.json()
        if payload.get("ok"):
            return payload["result"]
        if response.status == 408:
            raise TimeoutError(payload.get("error"))
        raise SandboxError(payload.get("error", f"HTTP {response.status}"))

    async def state(self) -> JsonDict:
        result: JsonDict = await self.request("GET", "/state")
        return result

    async def reset(self) -> None:
        await self.request("POST", "/reset")

    async def add_user(self, user_id: int, first_name: str, username: str | None = None) -> JsonDict:
        body = {"user_id": user_id, "first_name": first_name, "username": username}
        result: JsonDict = await self.request("POST", "/users", body)
        return result

    async def create_private_chat(self, user_id: int) -> JsonDict:
        result: JsonDict = await self.request("POST", "/chats/private", {"user_id": user_id})
        return result

    async def create_group(self, title: str, *, supergroup: bool = False, with_bot: bool = True) -> JsonDict:
        kind = "supergroup" if supergroup else "group"
        result: JsonDict = await self.request("POST", f"/chats/{kind}", {"title": title, "with_bot": with_bot})
        return result

    async def add_bot_to_chat(self, chat_id: int, by_user_id: int | None = None, *, as_admin: bool = False) -> None:
        await self.request("POST", f"/chats/{chat_id}/add_bot", {"by_user_id": by_user_id, "as_admin": as_admin})

    async def remove_bot_from_chat(self, chat_id: int, by_user_id: int | None = None, *, kicked: bool = True) -> None:
        await self.request("POST", f"/chats/{chat_id}/remove_bot", {"by_user_id": by_user_id, "kicked": kicked})

    async def migrate_chat(self, group_id: int, by_user_id: int | None = None) -> int:
        result = await self.request("POST", f"/chats/{group_id}/migrate", {"by_user_id": by_user_id})
        return int(result["new_chat_id"])

    async def post_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        reply_to_message_id: int | None = None,
        document: tuple[str, bytes, str] | None = None,
        caption: str | None = None,
        photo: bytes | None = None,
    ) -> JsonDict:
        body: JsonDict = {"user_id": user_id, "text": text, "reply_to_message_id": reply_to_message_id}
        if photo is not None:
            body["photo_base64"] = base64.b64encode(photo).decode("ascii")
            body["caption"] = caption
        if document is not None:
            filename, content, mime_type = document
            body["document"] = {
                "filename": filename,
                "content_base64": base64.b64encode(content).decode("ascii"),
                "mime_type": mime_type,
            }
            body["caption"] = caption
        result: JsonDict = await self.request("POST", f"/chats/{chat_id}/messages", body)
        return result

    async def post_command(
        self, chat_id: int, user_id: int, command: str, args: str = "", *, address_bot: bool = False
    ) -> JsonDict:
        body = {"user_id": user_id, "command": command, "args": args, "address_bot": address_bot}
        result: JsonDict = await self.request("POST", f"/chats/{chat_id}/commands", body)
        return result

    async def press_button(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        raw_data: str | None = None,
    ) -> str:
        body = {"user_id": user_id, "data": data, "text": text, "raw_data": raw_data}
        result = await self.request("POST", f"/chats/{chat_id}/messages/{message_id}/press", body)
        return str(result["callback_query_id"])

    async def messages_in(self, chat_id: int) -> list[JsonDict]:
        result: list[JsonDict] = await self.request("GET", f"/chats/{chat_id}/messages")
        return result

    async def outgoing(
        self, chat_id: int | None = None, *, after: int = 0, sends_only: bool = False, with_content: bool = False
    ) -> list[JsonDict]:
        result: list[JsonDict] = await self.request(
            "GET",
            "/outgoing",
            chat_id=chat_id,
            after=after,
            sends_only=int(sends_only),
            with_content=int(with_content),
        )
        return result

    async def wait_for(
        self,
        *,
        chat_id: int | None = None,
        method: str | None = None,
        text_contains: str | None = None,
        message_id: int | None = None,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - forwarded to the server-side wait
    ) -> JsonDict:
        body = {
            "chat_id": chat_id,
            "method": method,
            "text_contains": text_contains,
            "message_id": message_id,
            "after": after,
            "timeout": timeout,
        }
        result: JsonDict = await self.request("POST", "/wait_for", body)
        return result

    async def callback_answer(self, query_id: str, *, wait: float | None = None) -> JsonDict:
        """The bot's answer; with ``wait`` seconds, wait for it to arrive."""
        if wait is None:
            answer: JsonDict = await self.request("GET", f"/callback_answers/{query_id}")
        else:
            answer = await self.request("POST", f"/callback_answers/{query_id}/wait", {"timeout": wait})
        return answer

    async def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        result: list[JsonDict] = await self.request(
            "GET", "/commands", scope=json.dumps(scope) if scope else None, language_code=language_code
        )
        return result

    async def inject_fault(self, kind: str, **options: Any) -> int:
        """``options``: method, chat_id, count, probability, delay, retry_after, status."""
        result = await self.request("POST", "/faults", {"kind": kind, **options})
        return int(result["fault_id"])

    async def faults(self) -> JsonDict:
        result: JsonDict = await self.request("GET", "/faults")
        return result

    async def clear_faults(self) -> None:
        await self.request("DELETE", "/faults")

    async def set_limits(self, **limits: float) -> JsonDict:
        """``group_messages``, ``group_window``, ``total_messages``, ``total_window``."""
        result: JsonDict = await self.request("PUT", "/limits", dict(limits))
        return result
