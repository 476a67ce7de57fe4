"""The 办结核实 a lead's 已完成 asks of the bureau, and the 佐证材料 that go with it for the coordinators to 销号."""

from __future__ import annotations

import logging

from supervisor_bot.app.delivery import deliver, deliver_file
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.reports import Report
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.ports.messenger import Attachment, Sent
from supervisor_bot.services import closures, evidence
from supervisor_bot.views import evidence as texts

log = logging.getLogger("supervisor_bot")


async def show_to_bureau(shell: Shell, ticket: Ticket, files: tuple[Evidence, ...]) -> None:
    """Each file into the bureau's chat, captioned with the item and the ticket's number."""
    for file in files:
        path = shell.data_dir / file.path
        if not await shell.runner.call(evidence.file_at, shell.runtime, file, shell.data_dir):
            log.warning("evidence file %s is missing from the data folder", path)
            continue
        await deliver_file(shell, ticket.chat_id, Attachment(path, file.name, texts.for_bureau(file, ticket.id)))


async def with_verification(shell: Shell, ticket: Ticket) -> None:
    """A 办结核实 just sent: the files the unit sent for the measure follow it."""
    files = await shell.runner.call(evidence.of_item, shell.runtime, ticket.measures[0], ticket.respondent)
    await show_to_bureau(shell, ticket, files)


async def ask_verification(shell: Shell, report: Report) -> None:
    """A lead's 已完成: the bureau is asked to verify it (办结销号), the unit's 佐证材料 shown with it."""
    verification = await shell.runner.call(closures.on_done, shell.runtime, report, shell.now())
    if verification is None:
        return
    sent = await deliver(shell, verification.chat_id, verification.view)
    if isinstance(sent, Sent) and verification.ticket is not None:
        await shell.runner.call(closures.ticket_sent, shell.runtime, verification.ticket, sent.message.id)
        await with_verification(shell, verification.ticket)
