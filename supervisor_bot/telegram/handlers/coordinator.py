"""Coordinators' commands: /invite (in a private chat), /round, /remind."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.app import plans
from supervisor_bot.app.cycle import ChoiceStale, RoundOpened, RoundStillOpen, remind_now, request_round, round_chosen
from supervisor_bot.app.delivery import deliver
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.services import binding
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import actor_of, argument, coordinator_only, parts, reply
from supervisor_bot.views import fmt, messages, plan_answers, rounds
from supervisor_bot.views.view import View


async def invite(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    _, chat, user = found
    if chat.type != chat.PRIVATE:
        await reply(
            update, context, messages.PRIVATE_ONLY + "\n" + messages.usage("invite", context.shell.runtime.office)
        )
        return
    written = argument(context)
    if not written:
        await reply(update, context, messages.usage("invite", context.shell.runtime.office))
        return
    shell = context.shell
    made = await plans.invite(shell, written, actor_of(user), shell.now())
    if isinstance(made, binding.NoSuchRespondent):
        await reply(
            update,
            context,
            messages.no_such_respondent(
                made.written, made.candidates, shell.runtime.office, suggestion=made.suggestion
            ),
        )
    else:
        await reply(update, context, messages.invite_made(made.invite, shell.runtime.tz))


async def open_round(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None or not await coordinator_only(update, context):
        return
    shell = plans.named(context.shell, argument(context))
    if shell is None:  # several plans: which one
        keys = [rt.plan for rt in context.shell.runtimes if not rt.retired]
        await reply(update, context, plan_answers.round_usage(keys))
        return
    outcome = await request_round(shell, shell.now())
    if isinstance(outcome, RoundStillOpen):
        still = outcome.open
        view = rounds.still_open(still.round, still.reported, still.expected, still.prompted, shell.runtime.tz)
        await deliver(shell, found[1].id, view, reply_to=found[0].message_id)
        return
    await reply(update, context, _opened(outcome, shell.runtime.tz))


def _opened(opened: RoundOpened, tz: str) -> str:
    return messages.round_opened_now(opened.round.id, fmt.day_time(opened.round.due_at, tz), opened.prompted)


async def round_button(update: Update, context: BotContext) -> None:
    """/round's confirmation: a new round, or the open round's checklists again (coordinators only)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    front, shell = context.front, context.shell
    press = rounds.decode(query.data)
    if press is not None:
        shell = await plans.for_round(shell, press.round_id)
    if not shell.runtime.is_coordinator(query.from_user.id):
        await front.messenger.answer(query.id, rounds.COORDINATORS_ONLY, alert=True)
        return
    message = query.message
    outcome = await round_chosen(shell, press, shell.now())
    if isinstance(outcome, ChoiceStale):
        await front.messenger.answer(query.id, rounds.STALE, alert=True)
        return
    text = (
        _opened(outcome, shell.runtime.tz)
        if isinstance(outcome, RoundOpened)
        else rounds.resent(outcome.round, outcome.prompted)
    )
    await front.messenger.edit(MessageRef(message.chat.id, message.message_id), View(text))
    await front.messenger.answer(query.id, text[:200])


async def remind(update: Update, context: BotContext) -> None:
    if not await coordinator_only(update, context):
        return
    reminded = await remind_now(context.shell, context.shell.now())
    if reminded is None:
        await reply(update, context, messages.NO_ROUND)
    else:
        await reply(update, context, messages.reminded(reminded.delivered, reminded.due))
