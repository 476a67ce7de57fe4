"""The bot's two lanes to the Bot API: answers to presses on connections of their own, the rest on the bulk pool."""

from __future__ import annotations

from typing import Any

from telegram.request import BaseRequest, RequestData

from supervisor_bot.telegram.connections import Lanes

API = "https://api.telegram.org/bot123:abc"


class Recording(BaseRequest):
    def __init__(self) -> None:
        self.urls: list[str] = []
        self.started = self.stopped = False

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        self.started = True

    async def shutdown(self) -> None:
        self.stopped = True

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        self.urls.append(url)
        return 200, b'{"ok": true, "result": true}'


async def test_a_press_is_answered_on_its_own_lane_and_everything_else_on_the_bulk_pool() -> None:
    answers, bulk = Recording(), Recording()
    async with Lanes(answers, bulk) as lanes:
        for method in ("answerCallbackQuery", "sendMessage", "editMessageText", "getFile", "sendDocument"):
            assert await lanes.post(f"{API}/{method}") is True
        await lanes.retrieve(f"{API.replace('/bot', '/file/bot')}/documents/file_1.pdf")
    assert answers.urls == [f"{API}/answerCallbackQuery"]
    assert [url.rpartition("/")[2] for url in bulk.urls] == [
        "sendMessage",
        "editMessageText",
        "getFile",
        "sendDocument",
        "file_1.pdf",
    ]
    assert answers.started and bulk.started and answers.stopped and bulk.stopped
