"""Notes said to the bot (@-mention in the group, plainly in the one-to-one chat), 退回 reasons, and 佐证材料
sent in the one-to-one chat: downloaded, decrypted, and kept as the Telegram front keeps them."""

from __future__ import annotations

import asyncio

from supervisor_bot.app import evidence as app_evidence
from supervisor_bot.app import plans
from supervisor_bot.app.evidence import show_to_bureau
from supervisor_bot.app.files import write_whole
from supervisor_bot.core.evidence import EvidenceRefusal
from supervisor_bot.core.people import ChatId
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.services import closures, direct_chat, evidence, reporting
from supervisor_bot.services.outcomes import TicketRefused
from supervisor_bot.views import bureau as bureau_texts
from supervisor_bot.views import evidence as evidence_texts
from supervisor_bot.views import mention, messages
from supervisor_bot.wecom import media
from supervisor_bot.wecom.inbound import File, Said
from supervisor_bot.wecom.state import Front, actor


async def _department_chat(front: Front, said: Said) -> ChatId | None:
    """Where the person speaks for: the group itself, or (one-to-one) the group they are the liaison of."""
    if said.group:
        return said.chat
    return await front.shell.runner.call(direct_chat.home_chat, front.shell.runtime, said.user)


async def note(front: Front, said: Said) -> None:
    if said.group and await _return_reason(front, said):
        return
    chat = await _department_chat(front, said)
    if chat is None:
        await front.say(said.chat, mention.NO_GROUP)
        return
    shell = await plans.for_said(front.shell, chat)  # several plans: the plan of the latest request there
    reply_to = await shell.runner.call(direct_chat.said_to, shell.runtime, chat)
    if reply_to is None:
        await front.say(said.chat, mention.NOT_A_NOTE)
        return
    outcome = await shell.runner.quick(
        reporting.note, shell.runtime, chat, reply_to, said.text, actor(said.user), shell.now()
    )
    if isinstance(outcome, reporting.NotANote):
        await front.say(said.chat, mention.NOT_A_NOTE)
        return
    if isinstance(outcome, reporting.Refused):
        await front.say(said.chat, mention.REFUSALS[outcome.reason])
        return
    report = outcome.report
    await front.say(said.chat, messages.note_recorded(report, said.user, shell.runtime.item(report.measure)).text)
    await app_evidence.ask_verification(shell, report)


async def _return_reason(front: Front, said: Said) -> bool:
    """The reason for a 退回 the bureau was asked for; False if none is awaited in this chat."""
    ticket_id = front.returns.get(said.chat)
    if ticket_id is None:
        return False
    shell = await plans.for_ticket(front.shell, ticket_id)
    outcome = await shell.runner.call(
        closures.return_with_reason, shell.runtime, ticket_id, said.text, actor(said.user), said.chat, shell.now()
    )
    if isinstance(outcome, TicketRefused):
        await front.say(said.chat, bureau_texts.TICKET_REFUSALS[outcome.reason])
        return True
    front.returns.pop(said.chat, None)
    await front.say(said.chat, bureau_texts.returned(outcome.ticket.respondent))
    for message in outcome.notify:
        await front.say(message.chat_id, message.view.card_text or message.view.text)
    return True


async def file(front: Front, said: Said, sent_file: File) -> None:
    """A file in the one-to-one chat; in a group the bot cannot receive it, and says where to send it."""
    if said.group:
        await front.say(said.chat, mention.EVIDENCE_IN_ONE_TO_ONE)
        return
    chat = await _department_chat(front, said)
    if chat is None:
        await front.say(said.chat, mention.NO_GROUP)
        return
    fetched = await media.fetch(sent_file.url, sent_file.aeskey, front.ca_file)
    if fetched is media.Fetch.EXPIRED:
        await front.say(said.chat, mention.LINK_EXPIRED)
        return
    if isinstance(fetched, media.Fetch):
        await front.say(said.chat, mention.DECLINED[EvidenceRefusal.NOT_RECEIVED])
        return
    data, name = fetched
    await _keep(front, said, chat, data, sent_file.name or name)


async def _keep(front: Front, said: Said, chat: ChatId, data: bytes, name: str | None) -> None:
    shell = await plans.for_said(front.shell, chat)
    reply_to = await shell.runner.call(direct_chat.said_to, shell.runtime, chat)
    if reply_to is None:
        await front.say(said.chat, mention.NOT_A_NOTE)
        return
    sent = evidence.Sent(chat, reply_to, name, len(data), name or "", actor(said.user))
    outcome = await shell.runner.call(evidence.accept, shell.runtime, sent, shell.now())
    if isinstance(outcome, evidence.NotForUs):
        await front.say(said.chat, mention.NOT_A_NOTE)
        return
    if isinstance(outcome, reporting.Refused):
        await front.say(said.chat, mention.REFUSALS[outcome.reason])
        return
    if isinstance(outcome, evidence.Declined):
        await front.say(said.chat, mention.DECLINED[outcome.reason])
        return
    dest = shell.data_dir / outcome.path
    await asyncio.to_thread(write_whole, dest, data)
    kept = await shell.runner.call(evidence.keep, shell.runtime, outcome, len(data), shell.now())
    if isinstance(kept, evidence.Declined):
        dest.unlink(missing_ok=True)
        await front.say(said.chat, mention.DECLINED[kept.reason])
        return
    await front.say(said.chat, evidence_texts.kept(kept.evidence, kept.count, said.user, kept.label))
    ticket = kept.ticket
    if ticket is not None and ticket.ticket is not None and ticket.ticket.message_id is not None:
        await front.messenger.edit(MessageRef(ticket.chat_id, ticket.ticket.message_id), ticket.view)
        await show_to_bureau(shell, ticket.ticket, (kept.evidence,))
