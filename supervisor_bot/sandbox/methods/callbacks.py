"""answerCallbackQuery: the bot's answer to a pressed inline button."""

from __future__ import annotations

import time
from typing import Any

from ..errors import QUERY_TOO_OLD, bad_request
from ..params import Params
from ..records import CallbackAnswer
from ..world import World


async def answer_callback_query(world: World, params: Params) -> Any:
    query_id = params.string("callback_query_id") or ""
    pending = world.queries.get(query_id)
    if pending is None or pending.answered or world.clock() - pending.created > world.callback_ttl:
        raise bad_request(QUERY_TOO_OLD)
    pending.answered = True
    answer = CallbackAnswer(
        query_id=query_id,
        text=params.string("text"),
        show_alert=params.flag("show_alert"),
        url=params.string("url"),
        cache_time=params.integer("cache_time") or 0,
        timestamp=time.time(),
    )
    world.answers[query_id] = answer
    world.record(
        "answerCallbackQuery",
        pending.chat_id,
        pending.message_id,
        text=answer.text,
        callback_query_id=query_id,
        show_alert=answer.show_alert,
    )
    return True
