"""A card's button pressed: the same service call as a Telegram press, answered by updating that card within
five seconds; a press on a closed round's card changes nothing and says so."""

from __future__ import annotations

import time

from supervisor_bot.app import plans
from supervisor_bot.app.cycle import ChoiceStale, RoundOpened, round_chosen
from supervisor_bot.app.delivery import deliver
from supervisor_bot.core.reports import Refusal
from supervisor_bot.ports.messenger import MessageRef, Sent
from supervisor_bot.services import reporting, tickets
from supervisor_bot.services.outcomes import AskReason, TicketRefused
from supervisor_bot.views import bureau as bureau_texts
from supervisor_bot.views import fmt, mention, messages, rounds
from supervisor_bot.views.callbacks import decode
from supervisor_bot.views.tickets import decode as decode_ticket
from supervisor_bot.views.view import View
from supervisor_bot.wecom import cards
from supervisor_bot.wecom.inbound import Pressed
from supervisor_bot.wecom.messenger import PendingPress, answering
from supervisor_bot.wecom.state import Front, actor

# the card belongs to a checklist that takes no more answers, and why (FORGED: its round's checklists are gone —
# a press reaches the bot only from WeCom, on a card the bot sent)
_CLOSING = {
    Refusal.ROUND_CLOSED: mention.REFUSALS[Refusal.ROUND_CLOSED],
    Refusal.STALE: mention.REFUSALS[Refusal.STALE],
    Refusal.FORGED: mention.CARD_CLOSED,
}


async def pressed(front: Front, press: Pressed) -> None:
    found = cards.message_of(press.task_id)
    if found is None:
        return
    message_id, key = found
    answering.set(PendingPress(press.req_id, press.task_id, message_id, key, press.user, time.monotonic()))
    if press.key == cards.NOTED_KEY:
        return  # a refusal, read: nothing to do
    if press.key == cards.CLOSED_KEY:
        await front.messenger.close_card(mention.CARD_CLOSED)
    elif decode(press.key) is not None:
        await _checklist(front, press, message_id)
    elif decode_ticket(press.key) is not None:
        await _ticket(front, press, message_id)
    elif rounds.decode(press.key) is not None:
        await _round(front, press, message_id)
    else:
        await front.messenger.answer(press.req_id, mention.REFUSALS[Refusal.FORGED], alert=True)


async def _checklist(front: Front, press: Pressed, message_id: str) -> None:
    pressed = decode(press.key)
    shell = await plans.for_prompt(front.shell, pressed.prompt_id if pressed is not None else None)
    who = actor(press.user)
    outcome = await shell.runner.quick(
        reporting.press, shell.runtime, pressed, press.chat, message_id, who, shell.now()
    )
    if isinstance(outcome, reporting.Refused):
        if outcome.reason in _CLOSING:
            await front.messenger.close_card(_CLOSING[outcome.reason])
        else:
            await front.messenger.answer(press.req_id, mention.REFUSALS[outcome.reason], alert=True)
        return
    card = MessageRef(press.chat, message_id)
    if isinstance(outcome, reporting.Show):  # the card is answered by its update: drawn now
        view = await shell.runner.quick(reporting.current_view, shell.runtime, outcome.prompt_id, shell.now())
        if view is None:  # (the checklist was taken down meanwhile)
            await front.messenger.close_card(mention.CARD_CLOSED)
        else:
            await front.messenger.edit(card, view)
        return
    await front.messenger.edit(card, outcome.view)
    sent = await deliver(shell, press.chat, outcome.request)
    if isinstance(sent, Sent):
        await shell.runner.quick(reporting.note_requested, shell.runtime, outcome, sent.message.id, who, shell.now())


async def _ticket(front: Front, press: Pressed, message_id: str) -> None:
    pressed = decode_ticket(press.key)
    shell = await plans.for_ticket(front.shell, pressed.ticket_id if pressed is not None else None)
    outcome = await shell.runner.call(
        tickets.ticket_press,
        shell.runtime,
        pressed,
        press.chat,
        message_id,
        actor(press.user),
        shell.now(),
    )
    if isinstance(outcome, TicketRefused):
        await front.messenger.answer(press.req_id, bureau_texts.TICKET_REFUSALS[outcome.reason], alert=True)
        return
    if isinstance(outcome, AskReason):  # the card stays as it is until the reason is given
        front.returns[press.chat] = outcome.ticket.id
        await deliver(shell, press.chat, View(mention.RETURN_REASON))
        return
    await front.messenger.edit(MessageRef(press.chat, message_id), outcome.view)
    for message in outcome.notify:
        await deliver(shell, message.chat_id, message.view)


async def _round(front: Front, press: Pressed, message_id: str) -> None:
    """The coordinator's choice on a round's confirmation card: a new round, or the checklists again."""
    chosen = rounds.decode(press.key)
    shell = await plans.for_round(front.shell, chosen.round_id) if chosen is not None else front.shell
    if not shell.runtime.is_coordinator(press.user):
        await front.messenger.answer(press.req_id, rounds.COORDINATORS_ONLY, alert=True)
        return
    outcome = await round_chosen(shell, chosen, shell.now())
    if isinstance(outcome, ChoiceStale):
        await front.messenger.answer(press.req_id, mention.ROUND_STALE, alert=True)
        return
    if isinstance(outcome, RoundOpened):
        due = fmt.day_time(outcome.round.due_at, shell.runtime.tz)
        text = messages.round_opened_now(outcome.round.id, due, outcome.prompted)
    else:
        text = rounds.resent(outcome.round, outcome.prompted)
    await front.messenger.edit(MessageRef(press.chat, message_id), View(text))
