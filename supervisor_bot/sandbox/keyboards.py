"""reply_markup as the Bot API checks it: inline keyboards (64-byte callback_data), force reply, removal."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .params import Params
from .records import JsonDict

MAX_CALLBACK_DATA_BYTES = 64
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"


def parse_reply_markup(params: Params) -> JsonDict | None:
    """The ``reply_markup`` parameter, validated; None when absent."""
    markup = params.nested("reply_markup", error=_MARKUP_ERROR)
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays')
    elif not (markup.get("remove_keyboard") is True or markup.get("force_reply") is True):
        raise bad_request(_MARKUP_ERROR)
    return markup


def check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays')
    for row in rows:
        for button in row:
            _check_button(button)


def _check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton should be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")


def inline_markup(markup: JsonDict | None) -> JsonDict | None:
    """The part of a reply_markup that shows up in the Message object (inline keyboards only)."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None
