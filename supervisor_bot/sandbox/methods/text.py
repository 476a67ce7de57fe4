"""Checks and renders the text of messages and captions as Telegram does."""

from __future__ import annotations

from ..errors import bad_request
from ..formatting import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, normalize_parse_mode, render, utf16_len
from ..params import Params
from ..records import JsonDict


def message_text(params: Params) -> tuple[str, str | None, str, list[JsonDict]]:
    """``(raw text, parse mode, shown text, entities)`` of a text message, with Telegram's checks."""
    raw = params.string("text")
    if not raw:
        raise bad_request("message text is empty")
    mode = normalize_parse_mode(params.string("parse_mode"))
    shown, entities = render(raw, mode)
    if not shown:
        raise bad_request("message text is empty")
    if utf16_len(shown) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return raw, mode, shown, entities


def caption_text(params: Params) -> tuple[str | None, str | None, str | None, list[JsonDict]]:
    """``(raw caption, parse mode, shown caption, entities)``; all None when there is no caption."""
    raw = params.string("caption")
    if not raw:
        return None, None, None, []
    mode = normalize_parse_mode(params.string("parse_mode"))
    shown, entities = render(raw, mode)
    if utf16_len(shown) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return raw, mode, shown or None, entities
