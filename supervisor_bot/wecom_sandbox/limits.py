"""The platform's limits the sandbox enforces, and the codes it answers with (docs/wecom.md names the pages of
the official documentation each comes from)."""

from __future__ import annotations

import re

MAX_BUTTONS = 6  # 模板卡片类型: button_list, at most 6
UPDATE_WINDOW = 5.0  # 更新模版卡片: within 5 seconds of the template_card_event
CHUNK_BYTES = 512 * 1024  # 上传临时素材: each chunk at most 512 KB before base64
MAX_CHUNKS = 100
MARKDOWN_BYTES = 4096  # markdown content, UTF-8
MEDIA_URL_SECONDS = 300  # 多媒体资源解密: an inbound file's URL lives 5 minutes
TASK_ID = re.compile(r"[A-Za-z0-9_\-@]{1,128}")

OK = 0
BAD_SECRET = 40001
INVALID_CHAT = 40003
INVALID_PARAMETER = 40058
NOT_ALLOWED = 48002
REMOVED = 86008
RATE_LIMITED = 45009
UPDATE_EXPIRED = 60020
EXPIRED_MEDIA = 42001


def card_problem(card: object) -> str:
    """What is wrong with a template card, or "" (the sandbox takes button_interaction cards)."""
    if not isinstance(card, dict):
        return "template_card missing"
    if card.get("card_type") != "button_interaction":
        return f"card_type {card.get('card_type')!r} not supported here"
    buttons = card.get("button_list")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        return f"button_list must have 1 to {MAX_BUTTONS} buttons"
    if not all(isinstance(b, dict) and b.get("text") and b.get("key") for b in buttons):
        return "every button needs text and key"
    if not TASK_ID.fullmatch(str(card.get("task_id", ""))):
        return "task_id must be 1-128 of A-Z a-z 0-9 _ - @"
    return ""
