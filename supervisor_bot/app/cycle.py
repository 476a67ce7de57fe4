"""The tick: every so often ask the domain what is due now, and do it — open rounds, send checklists, run the
ladder and the digest. A test drives time by calling `tick` with a `now`."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from dataclasses import dataclass, replace

from supervisor_bot.app.delivery import deliver, deliver_once, notify_coordinators
from supervisor_bot.app.ladder_steps import run_ladder
from supervisor_bot.app.shell import LATE, Shell, log
from supervisor_bot.core import tick as core_tick
from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.rounds import Round
from supervisor_bot.ports.messenger import MessageRef, Sent
from supervisor_bot.services import supervision
from supervisor_bot.views import fmt, notices, rounds
from supervisor_bot.views.view import View

FAN_OUT = 32  # edits in flight at once (an edit is safe to repeat: never in doubt)


async def tick(shell: Shell, now: dt.datetime | None = None) -> list[core_tick.Action]:
    """One tick at `now` (the clock's, unless a test passes one). Ticks never overlap. Each plan's rounds open on
    its own cadence; the checklists of every plan then go out in one fan-out (a unit's in plan order)."""
    if shell.tick_lock.locked():
        return []
    async with shell.tick_lock:
        moment = now or shell.now()
        plans = [plan for plan in shell.each_plan() if not plan.runtime.retired]
        due = [await _open_rounds(plan, moment) for plan in plans]
        sent = await asyncio.gather(
            *(send_prompts(plan, _prompts(actions), moment) for plan, (actions, _) in zip(plans, due, strict=True))
        )
        for plan, (_, opened), count in zip(plans, due, sent, strict=True):
            rt = plan.runtime
            if opened is not None:
                bound = {b.respondent for b in await plan.runner.call(rt.plan_bindings) if b.active}
                unbound = [name for name in rt.respondents if name not in bound]
                await notify_coordinators(
                    plan, notices.round_opened(opened.round, rt.tz, count, unbound, opened.late_by)
                )
            await run_ladder(plan, moment)
        return [action for actions, _ in due for action in actions]


def _prompts(actions: list[core_tick.Action]) -> list[core_tick.SendPrompt]:
    return [a for a in actions if isinstance(a, core_tick.SendPrompt)]


async def _open_rounds(shell: Shell, moment: dt.datetime) -> tuple[list[core_tick.Action], core_tick.OpenRound | None]:
    """A plan's round opened if its time has come, the checklists of a closed round closed; what is due."""
    rt = shell.runtime
    actions = await shell.runner.call(supervision.due, rt, moment)
    opened: core_tick.OpenRound | None = None
    for action in actions:
        if isinstance(action, core_tick.OpenRound):
            await shell.runner.call(supervision.open_round, rt, action)
            opened = action
            late = f"，补开（原定{fmt.day_time(action.round.opened_at, rt.tz)}）" if action.late_by > LATE else ""
            log.info("round %s opened, due %s%s", action.round.id, action.round.due_at, late)
    await close_dead_checklists(shell)
    return actions, opened


@dataclass(frozen=True)
class RoundOpened:
    round: Round
    prompted: int  # checklists sent so far in the round


async def open_round_now(shell: Shell, now: dt.datetime) -> RoundOpened:
    """A coordinator opens a round by hand; its checklists go out at once."""
    action = await shell.runner.call(supervision.open_now, shell.runtime, now)
    await shell.runner.call(supervision.open_round, shell.runtime, action)
    await tick(shell, now)
    prompted = await shell.runner.call(supervision.prompted, shell.runtime)
    return RoundOpened(action.round, prompted)


@dataclass(frozen=True)
class RoundStillOpen:
    """/round while a round is open: nothing was done; the coordinator is asked to choose."""

    open: supervision.StillOpen


async def request_round(shell: Shell, now: dt.datetime) -> RoundOpened | RoundStillOpen:
    """A coordinator's /round: a round is opened at once only when none is open."""
    still = await shell.runner.call(supervision.still_open, shell.runtime, now)
    if still is not None:
        return RoundStillOpen(still)
    return await open_round_now(shell, now)


@dataclass(frozen=True)
class Resent:
    round: Round
    prompted: int  # checklists sent again


class ChoiceStale(enum.Enum):
    STALE = "stale"  # the round the confirmation named is no longer the open one


async def round_chosen(
    shell: Shell, press: rounds.RoundPress | None, now: dt.datetime
) -> RoundOpened | Resent | ChoiceStale:
    """The coordinator's choice on /round's confirmation: a new round, or the open round's checklists again."""
    live = await shell.runner.call(shell.runtime.current_round)
    if press is None or live is None or live.id != press.round_id or not live.is_open(now):
        return ChoiceStale.STALE
    if press.choice is rounds.RoundChoice.OPEN:
        return await open_round_now(shell, now)
    prompts = await shell.runner.call(supervision.resend, shell.runtime, live.id, now)
    if prompts is None:
        return ChoiceStale.STALE
    await close_dead_checklists(shell)
    return Resent(live, await send_prompts(shell, prompts, now))


async def close_dead_checklists(shell: Shell) -> int:
    """Edit the checklists of a closed round (or sent again) so that they keep no buttons: one edit per chat,
    each chat's in turn with its sends (edits are not new messages: a group's 20 a minute is not touched)."""
    dead = await shell.runner.call(supervision.dead_checklists, shell.runtime)
    if not dead:
        return 0
    gate = asyncio.Semaphore(FAN_OUT)

    async def one(item: supervision.ToEdit) -> bool:
        async with gate, shell.chat_gates[item.chat_id]:
            done = await shell.messenger.edit(MessageRef(item.chat_id, item.message_id), item.view)
        if not done:  # a dead button is refused anyway (WeCom's cards change only when pressed): not tried again
            log.info(
                "the checklist %s in chat %s keeps its buttons; a press on them is refused",
                item.message_id,
                item.chat_id,
            )
        return done

    results = await asyncio.gather(*(one(item) for item in dead))
    await shell.runner.call(supervision.edited, shell.runtime, [item.key for item in dead])
    return sum(results)


@dataclass(frozen=True)
class Reminded:
    delivered: int
    due: int  # units with items still to report


async def remind_now(shell: Shell, now: dt.datetime) -> Reminded | None:
    """A coordinator's /remind: each unit with items unreported is reminded in its chat, in each plan with a round
    open (a reminder names its plan's round); None without any round."""
    delivered, due_count, any_open = 0, 0, False
    for plan in shell.each_plan():
        due = await plan.runner.call(supervision.reminders, plan.runtime, now)
        any_open = any_open or bool(due) or await plan.runner.call(plan.runtime.current_round) is not None
        for chat_id, view in due:
            delivered += isinstance(await deliver(plan, chat_id, view), Sent)
        due_count += len(due)
    return Reminded(delivered, due_count) if any_open else None


def again(view: View, key: str, known: dict[str, Intent]) -> View:
    """A checklist whose first sending may have arrived before a restart says, in its first line, that it is the
    one that counts (the group may see two); its own first line (naming the plan, in a `[[plans]]` deployment)
    follows."""
    earlier = known.get(key)
    if earlier is None or earlier.message is not None:
        return view
    return replace(view, text=f"{rounds.RESENT}\n{view.text}")


async def send_prompts(shell: Shell, actions: list[core_tick.SendPrompt], now: dt.datetime) -> int:
    """Send the checklists side by side, within the shell's send window (shared by every plan's fan-out); each is
    recorded as soon as the messenger has it (see deliver_once)."""
    if not actions:
        return 0
    rt = shell.runtime
    prepared = await shell.runner.call(supervision.prepare_prompts, rt, actions, now)
    known = await shell.runner.call(rt.store.intents)

    async def one(item: supervision.PromptToSend) -> bool:
        key = f"prompt:{item.prompt.id}"
        async with shell.send_window.slot():  # from the intent stored to the result stored: in doubt meanwhile
            result = await deliver_once(shell, key, item.prompt.chat_id, again(item.view, key, known), known)
            if not isinstance(result, Sent):
                return False
            message = result.message
            await shell.runner.call(supervision.prompts_sent, rt, [(item.prompt, message.chat, message.id)], [key])
        log.info(
            "checklist for %s sent to chat %s (round %s)", item.prompt.respondent, message.chat, item.prompt.round_id
        )
        return True

    return sum(await asyncio.gather(*(one(p) for p in prepared)))
