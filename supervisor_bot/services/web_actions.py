"""A coordinator's decision from the dashboard: 延期, 已核实, 销号, 退回 with a reason — on a ticket of the bureau's.

The same service calls the ticket's buttons make (tickets.ticket_press, closures.return_with_reason): the same
rules, the same stored decision and audit entry (the acting coordinator; the chat is the ticket's, the bureau's,
where the decision belongs), and the same messages to the department's chat and the same redrawn ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import Actor
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.services.closures import return_with_reason
from supervisor_bot.services.outcomes import AskReason, Outgoing, TicketRefusal, TicketRefused
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.tickets import ticket_press
from supervisor_bot.views import bureau
from supervisor_bot.views.tickets import EXTENSION_CHOICES, TicketAct, TicketPress
from supervisor_bot.views.view import View


class WebAct(StrEnum):
    EXTEND = "extend"
    RESOLVE = "resolve"
    CLOSE = "close"
    RETURN = "return"


_PRESS = {WebAct.EXTEND: TicketAct.EXTEND, WebAct.RESOLVE: TicketAct.RESOLVE, WebAct.CLOSE: TicketAct.CLOSE}


@dataclass(frozen=True)
class ActionForm:
    ticket_id: str
    act: WebAct
    measure: int
    workdays: int = 0
    reason: str = ""


@dataclass(frozen=True)
class ActionDone:
    message: str  # said on the page
    notify: tuple[Outgoing, ...]  # to the department's chat, as the button sends
    ticket: Ticket
    ticket_view: View  # the ticket as the button redraws it


@dataclass(frozen=True)
class ActionRefused:
    reason: TicketRefusal  # as a button press would be refused


ActionOutcome = ActionDone | ActionRefused


def act(rt: Runtime, form: ActionForm, actor: Actor, now: dt.datetime) -> ActionOutcome:
    if not rt.is_coordinator(actor.user_id):
        return ActionRefused(TicketRefusal.NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if t.id == form.ticket_id), None)
    if ticket is None or ticket.message_id is None or form.measure not in ticket.measures:
        return ActionRefused(TicketRefusal.UNKNOWN)
    if form.act is WebAct.RETURN:
        returned = return_with_reason(rt, ticket.id, form.reason, actor, ticket.chat_id, now)
        if isinstance(returned, TicketRefused):
            return ActionRefused(returned.reason)
        return ActionDone(bureau.returned(ticket.respondent), returned.notify, ticket, returned.view)
    if form.act is WebAct.EXTEND and form.workdays not in EXTENSION_CHOICES:
        return ActionRefused(TicketRefusal.UNKNOWN)
    press = TicketPress(_PRESS[form.act], ticket.id, form.measure, form.workdays)
    outcome = ticket_press(rt, press, ticket.chat_id, ticket.message_id, actor, now)
    if isinstance(outcome, TicketRefused):
        return ActionRefused(outcome.reason)
    if isinstance(outcome, AskReason):  # not reachable from a 销号/延期/已核实 form
        return ActionRefused(TicketRefusal.UNKNOWN)
    return ActionDone(outcome.toast or "已处理", outcome.notify, ticket, outcome.view)
