"""Views to Telegram's reply markup."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from supervisor_bot.views.view import View


def markup(view: View) -> InlineKeyboardMarkup | ForceReply | None:
    if view.force_reply:
        return ForceReply(selective=False, input_field_placeholder=view.placeholder or None)
    if not view.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in view.buttons]
    )


def inline(view: View) -> InlineKeyboardMarkup | None:
    found = markup(view)
    return found if isinstance(found, InlineKeyboardMarkup) else None
