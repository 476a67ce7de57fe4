"""A coordinator's decision posted from a page: checked (session, CSRF, form), made by the same services as the
bureau's buttons, and told to the department's chat — and the ticket redrawn — exactly as a press would."""

from __future__ import annotations

import logging
import re

from aiohttp import web

from supervisor_bot.app.delivery import deliver
from supervisor_bot.core.people import Actor
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.services import web_actions
from supervisor_bot.services.viewers import viewer
from supervisor_bot.services.web_actions import ActionForm, WebAct
from supervisor_bot.views import bureau
from supervisor_bot.web.app import front_of, message, require_session, same_role

log = logging.getLogger("supervisor_bot.web")
_TICKET = re.compile(r"[0-9a-z]{1,12}")
_NUMBER = re.compile(r"[0-9]{1,4}")
FORGED = "表单已失效或来源不明，未做任何更改。请刷新页面后重试。"


def _safe_back(path: str) -> str:
    """Only a path of this site: never `//elsewhere` or a full address."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _form(fields: dict[str, str]) -> ActionForm | None:
    try:
        act = WebAct(fields.get("act", ""))
    except ValueError:
        return None
    ticket, measure, workdays = fields.get("ticket", ""), fields.get("measure", ""), fields.get("workdays", "0")
    if not (_TICKET.fullmatch(ticket) and _NUMBER.fullmatch(measure) and _NUMBER.fullmatch(workdays)):
        return None
    return ActionForm(ticket, act, int(measure), int(workdays), fields.get("reason", ""))


async def post_action(request: web.Request) -> web.Response:
    session = require_session(request)
    front = front_of(request)
    who = session.person
    await same_role(
        request, session, await front.runner.call(viewer, front.runtime, front.leaders, who.user_id, who.name)
    )
    posted = await request.post()
    fields = {k: v for k, v in posted.items() if isinstance(v, str)}
    back = _safe_back(fields.get("back", "/"))
    if not front.signer.csrf_ok(session, fields.get("csrf", "")):
        return message(request, 403, "操作未完成", FORGED, page="csrf-refused")
    form = _form(fields)
    if form is None:
        return message(request, 400, "操作未完成", FORGED, page="form-refused", back_link=back)
    actor = Actor(session.person.user_id, session.person.name)
    shell = front.shell
    rt = front.plan(fields.get("plan", "")) or shell.runtime  # the plan whose ticket it is (several plans)
    outcome = await shell.runner.call(web_actions.act, rt, form, actor, shell.now())
    if isinstance(outcome, web_actions.ActionRefused):
        refused = bureau.TICKET_REFUSALS[outcome.reason]
        return message(request, 403, "操作未完成", refused, page="action-refused", back_link=back)
    front.invalidate()
    log.info("web: %s by %s on ticket %s, measure %s", form.act, actor.user_id, form.ticket_id, form.measure)
    if outcome.ticket.message_id is not None:
        await shell.messenger.edit(MessageRef(outcome.ticket.chat_id, outcome.ticket.message_id), outcome.ticket_view)
    for note in outcome.notify:  # to the department's chat, exactly as the button's press tells it
        await deliver(shell, note.chat_id, note.view)
    return message(request, 200, "已处理", outcome.message, page="action-done", back_link=back)
