"""Sending through the messenger, with what its answers mean for the application: a chat that is gone or moved,
long text in pieces, word to the coordinators, and messages sent at most once across a crash (the outbox)."""

from __future__ import annotations

from supervisor_bot.app.shell import Shell, log
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.people import SYSTEM, ChatId, MessageId
from supervisor_bot.ports.messenger import POSSIBLE_DUPLICATE, Attachment, Delivery, MessageRef, NotSent, Sent
from supervisor_bot.services import binding as binding_service
from supervisor_bot.views import notices
from supervisor_bot.views.view import View, split_text


async def _followed(shell: Shell, chat: ChatId, result: Delivery) -> Delivery:
    if isinstance(result, Sent) and result.message.chat != chat:
        await shell.runner.call(binding_service.chat_migrated, shell.runtime, chat, result.message.chat, shell.now())
        log.info("chat %s became %s", chat, result.message.chat)
    elif result is NotSent.GONE:
        await chat_gone(shell, chat)
    return result


async def deliver(shell: Shell, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery:
    """Send a view; a chat that moved is followed, one that refuses the bot is marked and coordinators told."""
    async with shell.chat_gates[chat]:
        result = await shell.messenger.send(chat, view, reply_to)
    return await _followed(shell, chat, result)


async def deliver_file(shell: Shell, chat: ChatId, attachment: Attachment) -> Delivery:
    async with shell.chat_gates[chat]:
        result = await shell.messenger.send_file(chat, attachment)
    return await _followed(shell, chat, result)


async def send_text(shell: Shell, chat: ChatId, text: str, reply_to: MessageId | None = None) -> None:
    """Long text goes out in pieces of at most 4096 characters, split at line ends."""
    for i, chunk in enumerate(split_text(text)):
        await deliver(shell, chat, View(chunk), reply_to if i == 0 else None)


async def chat_gone(shell: Shell, chat: ChatId, title: str = "") -> None:
    """The bot can no longer write to a department's chat: stop sending there and tell the coordinators."""
    removed = await shell.runner.call(binding_service.chat_removed, shell.runtime, chat, SYSTEM, shell.now())
    if removed is not None:
        log.warning("removed from the chat of %s (%s)", removed.respondent, chat)
        await notify_coordinators(shell, notices.chat_removed(removed.respondent, title or removed.title or str(chat)))


async def notify_coordinators(shell: Shell, text: str) -> None:
    """To the coordinating bureau's chat if there is one, else to each coordinator privately."""
    rt = shell.runtime
    targets: list[ChatId] = [rt.bureau_chat] if rt.bureau_chat else sorted(rt.coordinators, key=str)
    for target in targets:
        for chunk in split_text(text):
            async with shell.chat_gates[target]:
                result = await shell.messenger.send(target, View(chunk))
            if isinstance(result, NotSent):
                log.warning("could not tell coordinators in %s: %s", target, result.value)


async def deliver_once(
    shell: Shell, key: str, chat: ChatId, view: View | Attachment, known: dict[str, Intent]
) -> Delivery:
    """Send at most once across a crash, as far as a messenger without idempotent sends allows.

    The intent is on disk before the send; the caller records the result right after (and clears the intent in
    the same write). An intent found without a result (`known`, read when the work began) may have been
    delivered before the crash: the message is sent again and the log marks it a possible duplicate for its chat.
    An intent with a result (a step of several messages cut short) is not sent again.
    """
    earlier = known.get(key)
    if earlier is not None and earlier.message is not None:
        return Sent(MessageRef(earlier.chat, earlier.message))
    await shell.runner.call(shell.runtime.store.save_intent, Intent(key, chat))
    if isinstance(view, Attachment):
        result = await deliver_file(shell, chat, view)
    else:
        result = await deliver(shell, chat, view)
    if isinstance(result, Sent) and earlier is not None:
        log.warning(
            "%s to chat %s sent again after a restart: the first may have arrived (%s)", key, chat, POSSIBLE_DUPLICATE
        )
    elif result is NotSent.REFUSED or result is NotSent.GONE:  # an answer: nothing arrived
        await shell.runner.call(shell.runtime.store.clear_intents, [key])
    return result


async def settle(shell: Shell, key: str, sent: Sent) -> None:
    """One message of several sent: recorded, so that a restart before the rest does not send it again."""
    await shell.runner.call(shell.runtime.store.save_intent, Intent(key, sent.message.chat, sent.message.id))
