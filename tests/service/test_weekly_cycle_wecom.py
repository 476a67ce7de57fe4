"""The same week as tests/service/test_weekly_cycle.py, carried by the WeCom front over a real WebSocket to the
WeCom sandbox: the same assertions, read off what the sandbox's chats received."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.people import ChatId
from tests.service.test_weekly_cycle import a_week, the_week_went_as_it_should
from tests.wecom.harness import rig


async def test_a_week_on_wecom(tmp_path: Path) -> None:
    async with rig(tmp_path) as wecom:
        await a_week(wecom.shell)

        async def texts(chat: ChatId) -> list[str]:
            return await wecom.texts(str(chat))

        async def files(chat: ChatId) -> list[str]:
            return [m["file"]["name"] for m in await wecom.posted(str(chat)) if m["kind"] in ("file", "image")]

        await the_week_went_as_it_should(texts, files, wecom.store)
        fin = await wecom.cards("wecom:fin")
        assert fin and all(len(card["button_list"]) == 4 for card in fin), "the checklist came as cards"
