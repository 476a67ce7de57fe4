"""/score [单位] [期间]: 考核 scores, for coordinators and leaders."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from supervisor_bot.core.office import Office
from supervisor_bot.services import score_query
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import argument, parts, reply
from supervisor_bot.views import messages
from supervisor_bot.views import scoring as texts


async def score(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    _, _, user = found
    shell = context.shell
    rt = shell.runtime
    answer = await shell.runner.call(score_query.ask, rt, user.id, argument(context), shell.now(), shell.plans)
    await reply(update, context, render(answer, rt.tz, rt.office, shell.today()))


def render(answer: score_query.ScoreAnswer, tz: str, office: Office, today: dt.date) -> str:
    if isinstance(answer, score_query.ScoreRefused):
        if answer.reason is score_query.ScoreRefusal.NOT_ALLOWED:
            return texts.NOT_ALLOWED
        return texts.bad_period(answer.written, office, today)
    if isinstance(answer, score_query.NoSuchUnit):
        return messages.no_such_respondent(answer.written, answer.candidates, office, "score", answer.suggestion)
    if isinstance(answer, score_query.NotScored):
        return texts.not_scored(answer.unit)
    unit = answer.card.of(answer.unit) if answer.unit is not None else None
    if unit is not None:
        return texts.unit_detail(unit, answer.card, tz)
    return texts.summary(answer.card, tz)
