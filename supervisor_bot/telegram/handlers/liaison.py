"""Department liaisons: /bind in their group, the checklist's buttons, and notes as replies."""

from __future__ import annotations

from telegram import Update

from supervisor_bot.app import evidence as app_evidence
from supervisor_bot.app import plans
from supervisor_bot.app.cycle import tick
from supervisor_bot.app.delivery import deliver
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.bindings import BindRefusal
from supervisor_bot.core.people import display_name
from supervisor_bot.core.reports import Refusal
from supervisor_bot.ports.messenger import MessageRef, Sent
from supervisor_bot.services import binding, reporting
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers import bureau
from supervisor_bot.telegram.handlers.common import actor_of, argument, is_group, log, name_of, parts, reply
from supervisor_bot.telegram.redraws import Drawing, ready
from supervisor_bot.views import messages
from supervisor_bot.views.callbacks import decode
from supervisor_bot.views.view import View


async def bind(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    _, chat, user = found
    code = argument(context)
    if not code:
        await reply(update, context, messages.usage("bind", context.shell.runtime.office))
        return
    shell = context.shell
    outcome = await shell.runner.call(
        binding.bind,
        shell.runtime,
        code,
        chat_id=chat.id,
        is_group=is_group(chat),
        title=display_name(chat.title or ""),
        actor=actor_of(user),
        now=shell.now(),
    )
    if isinstance(outcome, BindRefusal):
        await reply(update, context, messages.BIND_REFUSALS[outcome])
        return
    log.info("chat %s bound to %s by user %s", chat.id, outcome.binding.respondent, user.id)
    await reply(update, context, messages.bound(outcome, name_of(user)))
    await tick(shell)  # the live round's checklist, straight away


async def button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    front = context.front
    message = query.message
    if message is None:
        await front.messenger.answer(query.id, messages.REFUSALS[Refusal.FORGED], alert=True)
        return
    actor = actor_of(query.from_user)
    pressed = decode(query.data)
    shell = await plans.for_prompt(context.shell, pressed.prompt_id if pressed is not None else None)
    outcome = await shell.runner.quick(
        reporting.press, shell.runtime, pressed, message.chat.id, message.message_id, actor, shell.now()
    )
    if isinstance(outcome, reporting.Refused):
        await front.messenger.answer(query.id, messages.REFUSALS[outcome.reason], alert=True)
        return
    await front.messenger.answer(query.id, outcome.toast)  # the report is stored: confirm, then redraw
    checklist = MessageRef(message.chat.id, message.message_id)
    if isinstance(outcome, reporting.Show):
        front.redraws.request(checklist, _drawing(shell, outcome.prompt_id))
        return
    front.redraws.request(checklist, ready(outcome.view))
    sent = await deliver(shell, message.chat.id, outcome.request)
    if isinstance(sent, Sent):
        await shell.runner.quick(reporting.note_requested, shell.runtime, outcome, sent.message.id, actor, shell.now())


def _drawing(shell: Shell, prompt_id: str) -> Drawing:
    """The checklist as it stands when its redraw goes out."""

    async def draw() -> View | None:
        return await shell.runner.quick(reporting.current_view, shell.runtime, prompt_id, shell.now())

    return draw


async def note_reply(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    message, chat, user = found
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    if await bureau.return_reason(update, context):
        return
    shell, front = await plans.for_note(context.shell, chat.id, replied.message_id, replied.text or ""), context.front
    outcome = await shell.runner.quick(
        reporting.note,
        shell.runtime,
        chat.id,
        replied.message_id,
        message.text or "",
        actor_of(user),
        shell.now(),
        replied.text or "",
        front.sent_at(replied.date),
    )
    if isinstance(outcome, reporting.NotANote):
        if outcome.in_department_chat:
            await reply(update, context, messages.NOT_A_NOTE)
        return
    if isinstance(outcome, reporting.Refused):
        await reply(update, context, messages.REFUSALS[outcome.reason])
        return
    report = outcome.report
    confirmation = messages.note_recorded(report, name_of(user), shell.runtime.item(report.measure))
    # the confirmation replaces the request it answers: an edit, not one more message in a busy group
    if not outcome.from_checklist:
        await front.messenger.edit(MessageRef(chat.id, replied.message_id), confirmation)
    if outcome.prompt is not None and outcome.prompt.message_id is not None and outcome.view is not None:
        await front.messenger.edit(MessageRef(outcome.prompt.chat_id, outcome.prompt.message_id), outcome.view)
    await app_evidence.ask_verification(shell, report)  # 办结销号: the bureau verifies a lead's 已完成
