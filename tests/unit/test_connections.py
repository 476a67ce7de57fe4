"""The bot's two lanes to the Bot API: answers to presses on connections of their own, the rest on the bulk pool;
the Bot API's answers read as python-telegram-bot reads them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram.error import TelegramError
from telegram.request import BaseRequest, RequestData

from supervisor_bot.telegram.connections import Lanes, UpdatesRequest

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


class Answering(Recording):
    def __init__(self, payload: bytes) -> None:
        super().__init__()
        self.payload = payload

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        return 200, self.payload


@pytest.mark.parametrize("lane", [Lanes, UpdatesRequest])
def test_answers_are_read_as_json_would_read_them(lane: type[BaseRequest]) -> None:
    update = {"update_id": 7, "callback_query": {"id": "q", "data": "st|2|8|d", "message": {"text": "措施8 进行中"}}}
    payload = json.dumps({"ok": True, "result": [update]}, ensure_ascii=False).encode()
    assert lane.parse_json_payload(payload) == json.loads(payload)


async def test_an_answer_that_is_not_utf8_is_read_with_its_bad_bytes_replaced_and_one_that_is_not_json_refused() -> (
    None
):
    bad = b'{"ok": true, "result": "\xff\xfe"}'
    async with Lanes(Answering(bad), Recording()) as lanes:
        answered: object = await lanes.post(f"{API}/answerCallbackQuery")
        assert answered == "\ufffd\ufffd"
    async with Lanes(Answering(b"<html>502 Bad Gateway</html>"), Recording()) as lanes:
        with pytest.raises(TelegramError, match="Invalid server response"):
            await lanes.post(f"{API}/answerCallbackQuery")
