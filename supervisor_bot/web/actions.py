"""A coordinator's decision posted from a page: checked (session, CSRF, form), made by the same services as the
bureau's buttons, and told to the department's chat — and the ticket redrawn — exactly as a press would."""

from __future__ import annotations

import asyncio
import logging
import re

from aiohttp import web

from supervisor_bot.app.delivery import deliver
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.people import Actor
from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.ports.relay import ActionOutcome, ActionRelay
from supervisor_bot.services import web_actions
from supervisor_bot.services.web_actions import ActionForm, WebAct
from supervisor_bot.views import bureau
from supervisor_bot.web.app import front_of, message, require_session
from supervisor_bot.web.front import WebFront

log = logging.getLogger("supervisor_bot.web")
_TICKET = re.compile(r"[0-9a-z]{1,12}")
_NUMBER = re.compile(r"[0-9]{1,4}")
FORGED = "表单已失效或来源不明，未做任何更改。请刷新页面后重试。"
QUEUED = "已提交，正在等待运行中的督办机器人处理；稍后刷新页面即可看到结果。"
RELAY_WAIT = 15.0  # seconds a page waits for the active bot to carry out a decision posted on a dashboard process


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
    posted = await request.post()
    fields = {k: v for k, v in posted.items() if isinstance(v, str)}
    back = _safe_back(fields.get("back", "/"))
    if not front.signer.csrf_ok(session, fields.get("csrf", "")):
        return message(request, 403, "操作未完成", FORGED, page="csrf-refused")
    if _form(fields) is None:
        return message(request, 400, "操作未完成", FORGED, page="form-refused", back_link=back)
    actor = Actor(session.person.user_id, session.person.name)
    rt = front.plan(fields.get("plan", "")) or front.shell.runtime  # the plan whose ticket it is (several plans)
    if front.relay is not None:  # a dashboard without a bot: the active bot carries it out
        outcome = await relayed(front, front.relay, rt.plan, fields, actor)
    else:
        outcome = await decide(front.shell, rt.plan, fields, actor)
    front.invalidate()
    heading = "已处理" if outcome.status == 200 else "已提交" if outcome.status == 202 else "操作未完成"
    return message(request, outcome.status, heading, outcome.text, page=outcome.page, back_link=back)


async def decide(shell: Shell, plan: str, fields: dict[str, str], actor: Actor) -> ActionOutcome:
    """A decision posted from a page (here, or on a dashboard process and relayed), made by the same services as
    the bureau's buttons and told to the department's chat — the ticket redrawn — exactly as a press would."""
    form = _form(fields)
    if form is None:
        return ActionOutcome(400, "form-refused", FORGED)
    rt = next((r for r in shell.runtimes if r.plan == plan), shell.runtime)
    outcome = await shell.runner.call(web_actions.act, rt, form, actor, shell.now())
    if isinstance(outcome, web_actions.ActionRefused):
        return ActionOutcome(403, "action-refused", bureau.TICKET_REFUSALS[outcome.reason])
    log.info("web: %s by %s on ticket %s, measure %s", form.act, actor.user_id, form.ticket_id, form.measure)
    if outcome.ticket.message_id is not None:
        await shell.messenger.edit(MessageRef(outcome.ticket.chat_id, outcome.ticket.message_id), outcome.ticket_view)
    for note in outcome.notify:  # to the department's chat, exactly as the button's press tells it
        await deliver(shell, note.chat_id, note.view)
    return ActionOutcome(200, "action-done", outcome.message)


async def relayed(
    front: WebFront, relay: ActionRelay, plan: str, fields: dict[str, str], actor: Actor
) -> ActionOutcome:
    """Queued in the database for the active bot; its outcome, if it comes within RELAY_WAIT seconds."""
    fields = {k: v for k, v in fields.items() if k != "csrf"}
    action_id = await front.runner.call(relay.queue_action, plan, fields, actor)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RELAY_WAIT
    while loop.time() < deadline:
        await asyncio.sleep(0.2)
        done = await front.runner.call(relay.action_outcome, action_id)
        if done is not None:
            return done
    return ActionOutcome(202, "action-queued", QUEUED)


async def carry_out_queued(shell: Shell, relay: ActionRelay, every: float = 0.5) -> None:
    """The active bot's side: decisions posted on dashboard processes, carried out in the order they came and
    their outcome written back (until cancelled)."""
    while True:
        try:
            for action in await shell.runner.call(relay.queued_actions):
                outcome = await decide(shell, action.plan, action.fields, action.actor)
                await shell.runner.call(relay.finish_action, action.id, outcome)
        except Exception:  # the database restarting: try again on the next round
            log.exception("carrying out the dashboard's queued decisions failed")
        await asyncio.sleep(every)
