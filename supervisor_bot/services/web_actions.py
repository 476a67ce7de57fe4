"""A coordinator's decision from the dashboard: 延期, 已核实, 销号, 退回 with a reason — on a ticket of the bureau's.

The same service calls the ticket's buttons make (oversight.ticket_press, oversight.return_with_reason): the same
rules, the same stored decision and audit entry (the acting coordinator; the chat is the ticket's, the bureau's,
where the decision belongs), and the same messages to the department's chat and the same redrawn ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.people import Actor
from supervisor_bot.core.tickets import Ticket
from supervisor_bot.services import oversight
from supervisor_bot.services.runtime import Runtime
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
    notify: tuple[oversight.Outgoing, ...]  # to the department's chat, as the button sends
    ticket: Ticket
    ticket_view: View  # the ticket as the button redraws it


@dataclass(frozen=True)
class ActionRefused:
    text: str


ActionOutcome = ActionDone | ActionRefused


def act(rt: Runtime, form: ActionForm, actor: Actor, now: dt.datetime) -> ActionOutcome:
    if not rt.is_coordinator(actor.user_id):
        return ActionRefused(oversight.NOT_COORDINATOR)
    ticket = next((t for t in rt.store.tickets() if t.id == form.ticket_id), None)
    if ticket is None or ticket.message_id is None or form.measure not in ticket.measures:
        return ActionRefused(oversight.UNKNOWN_TICKET)
    if form.act is WebAct.RETURN:
        returned = oversight.return_with_reason(rt, ticket.id, form.reason, actor, ticket.chat_id, now)
        if isinstance(returned, oversight.TicketRefused):
            return ActionRefused(returned.text)
        return ActionDone(f"已退回，{ticket.respondent}将收到退回理由。", returned.notify, ticket, returned.view)
    if form.act is WebAct.EXTEND and form.workdays not in EXTENSION_CHOICES:
        return ActionRefused(oversight.UNKNOWN_TICKET)
    press = TicketPress(_PRESS[form.act], ticket.id, form.measure, form.workdays)
    outcome = oversight.ticket_press(rt, press, ticket.chat_id, ticket.message_id, actor, now)
    if isinstance(outcome, oversight.TicketRefused):
        return ActionRefused(outcome.text)
    if isinstance(outcome, oversight.AskReason):  # not reachable from a 销号/延期/已核实 form
        return ActionRefused(oversight.UNKNOWN_TICKET)
    return ActionDone(outcome.toast or "已处理", outcome.notify, ticket, outcome.view)
