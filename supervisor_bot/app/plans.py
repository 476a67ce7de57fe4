"""Which plan an input belongs to, in a deployment of several plans: a checklist's button by its checklist, a
督办单's or 办结核实's by its ticket, a note by the request it replies to. Ids are unique across plans (one
store's counters), so the plan that holds the id is the one meant; a one-plan deployment's shell is returned as
it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from supervisor_bot.app.shell import Shell
from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.services import binding
from supervisor_bot.services.runtime import Runtime


async def _holding(shell: Shell, holds: Callable[[Runtime], bool]) -> Shell:
    if not shell.plans:
        return shell
    for plan in shell.each_plan():
        if await shell.runner.quick(holds, plan.runtime):
            return plan
    return shell.each_plan()[0]  # none holds it: the first plan's refusal (stale, unknown) is the answer


async def for_prompt(shell: Shell, prompt_id: str | None) -> Shell:
    return await _holding(shell, lambda rt: prompt_id is not None and rt.store.prompt(prompt_id) is not None)


async def for_ticket(shell: Shell, ticket_id: str | None) -> Shell:
    return await _holding(shell, lambda rt: any(t.id == ticket_id for t in rt.store.tickets()))


async def for_note(shell: Shell, chat_id: ChatId, message_id: MessageId, text: str = "") -> Shell:
    """The plan of the note awaited in reply to `message_id`, or of the checklist it replies to; else the plan
    the replied message names (`【营商环境 措施3】…`)."""
    named = next((p for p in shell.each_plan() if p.runtime.plan and text.startswith(f"【{p.runtime.plan} ")), None)

    def holds(rt: Runtime) -> bool:
        if rt.store.pending_note(chat_id, message_id) is not None:
            return True
        return any(p.chat_id == chat_id and p.message_id == message_id for p in rt.store.prompts())

    found = await _holding(shell, holds)
    return named if named is not None and not await shell.runner.quick(holds, found.runtime) else found


async def invite(
    shell: Shell, written: str, actor: Actor, now: dt.datetime
) -> binding.InviteMade | binding.NoSuchRespondent:
    """/invite a unit of any plan: one group, bound once, serves the unit in every plan."""
    first: binding.InviteMade | binding.NoSuchRespondent | None = None
    for rt in shell.runtimes:
        made = await shell.runner.call(binding.invite, rt, written, actor, now)
        if isinstance(made, binding.InviteMade):
            return made
        first = first or made
    assert first is not None
    return first


def named(shell: Shell, written: str) -> Shell | None:
    """The plan a coordinator names (`/round 营商环境`); a one-plan deployment's shell whatever is written."""
    if not shell.plans:
        return shell
    return next((plan for plan in shell.each_plan() if plan.runtime.plan == written.strip()), None)


async def for_round(shell: Shell, round_id: str) -> Shell:
    """The plan a round belongs to (its id is the plan's own)."""
    return await _holding(shell, lambda rt: rt.round(round_id) is not None)


async def for_interview(shell: Shell, text: str) -> Shell:
    """/yuetan 部门 …: the plan with the unit's pending 约谈 (one per unit, whichever plan proposed it), else the
    first plan the unit answers in."""
    unit = text.split(maxsplit=1)[0] if text.strip() else ""

    def found(rt: Runtime) -> list[str]:
        return rt.find_respondent(unit) if unit else []

    def pending(rt: Runtime) -> bool:
        names = found(rt)
        return len(names) == 1 and any(i.respondent == names[0] and not i.held for i in rt.store.interviews())

    if shell.plans:
        for check in (pending, lambda rt: len(found(rt)) == 1):
            for plan in shell.each_plan():
                if await shell.runner.call(check, plan.runtime):
                    return plan
    return shell.each_plan()[0]


async def for_said(shell: Shell, chat: ChatId) -> Shell:
    """A note or a file said plainly in a chat (WeCom): the plan of the latest request for a note there, else of
    the first plan with a live checklist there."""
    if not shell.plans:
        return shell

    def latest(rt: Runtime) -> dt.datetime | None:
        live = rt.current_round()
        asked = [n.at for n in rt.store.pending_notes(chat) if live is not None and n.round_id == live.id]
        return asked[-1] if asked else None

    asked = [(await shell.runner.call(latest, plan.runtime), plan) for plan in shell.each_plan()]
    waiting = [(at, plan) for at, plan in asked if at is not None]
    if waiting:
        return max(waiting, key=lambda found: found[0])[1]
    return await _holding(shell, lambda rt: any(p.chat_id == chat and p.message_id for p in rt.store.prompts()))
