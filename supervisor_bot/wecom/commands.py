"""What people write after @督办 (or alone in the one-to-one chat): 绑定, 状态, 逾期, 措施, 周报, 约谈, 帮助 —
the same services as the Telegram commands."""

from __future__ import annotations

from supervisor_bot.app import plans
from supervisor_bot.app.cycle import RoundStillOpen, remind_now, request_round, tick
from supervisor_bot.app.delivery import deliver, send_text
from supervisor_bot.app.digests import send_digest
from supervisor_bot.core.bindings import BindRefusal
from supervisor_bot.services import binding, interviews, plan_queries
from supervisor_bot.views import answers, fmt, mention, messages, plan_answers, rounds
from supervisor_bot.views import bureau as bureau_texts
from supervisor_bot.views.supervision import interview_recorded
from supervisor_bot.wecom.inbound import Said
from supervisor_bot.wecom.state import Front, actor


def command_of(text: str) -> tuple[str, str] | None:
    """(command, argument) when the text starts with one of the words; None: it is a note."""
    word, _, rest = text.strip().partition(" ")
    for name, command in mention.COMMANDS.items():
        if word == name or (word.startswith(name) and command in ("bind", "status", "measure")):
            argument = (word[len(name) :] + " " + rest).strip()
            return command, argument
    return None


async def run(front: Front, said: Said, command: str, argument: str) -> None:
    shell = front.shell
    rt = shell.runtime
    if command == "bind":
        await _bind(front, said, argument)
    elif command == "status":  # every plan, one plan by its key, a unit across plans
        status = await shell.runner.quick(plan_queries.status_all, shell.runtimes, argument, shell.now())
        texts = [(p.plan, p.office.plan_title, answers.status_answer(a, p.matrix, p.office, p.tz)) for p, a in status]
        await front.say(said.chat, plan_answers.by_plan(texts))
    elif command == "overdue":
        now = shell.now()
        overdue = await shell.runner.quick(plan_queries.overdue_all, shell.runtimes, now)
        texts = [(p.plan, p.office.plan_title, answers.overdue_answer(a, p.matrix, p.tz, now)) for p, a in overdue]
        await front.say(said.chat, plan_answers.by_plan(texts))
    elif command == "measure":
        if not argument:
            await front.say(said.chat, mention.usage("measure", rt.office))
            return
        await front.say(said.chat, await _measure(front, argument))
    elif command in ("digest", "yuetan", "invite", "remind", "round"):
        await _coordinator(front, said, command, argument)
    else:
        await front.say(said.chat, mention.help_text(rt.office, shell.today()))


async def _bind(front: Front, said: Said, code: str) -> None:
    shell = front.shell
    if not code:
        await front.say(said.chat, mention.usage("bind", shell.runtime.office))
        return
    outcome = await shell.runner.call(
        binding.bind,
        shell.runtime,
        code,
        chat_id=said.chat,
        is_group=said.group,
        title="",
        actor=actor(said.user),
        now=shell.now(),
    )
    if isinstance(outcome, BindRefusal):
        await front.say(said.chat, mention.BIND_REFUSALS[outcome])
        return
    await front.say(said.chat, messages.bound(outcome, said.user))
    await tick(shell)  # the live round's checklist, straight away


async def _coordinator(front: Front, said: Said, command: str, argument: str) -> None:
    shell = front.shell
    rt = shell.runtime
    if not rt.is_coordinator(said.user):
        await front.say(said.chat, messages.COORDINATORS_ONLY)
        return
    if command == "invite":
        await _invite(front, said, argument)
        return
    if command == "round":
        await _round(front, said, argument)
        return
    if command == "remind":
        reminded = await remind_now(shell, shell.now())
        text = messages.NO_ROUND if reminded is None else messages.reminded(reminded.delivered, reminded.due)
        await front.say(said.chat, text)
        return
    if command == "digest":
        if not await send_digest(shell, shell.now(), chat=said.chat):
            await front.say(said.chat, messages.NO_ROUND)
        return
    if not argument:
        await front.say(said.chat, mention.usage("yuetan", rt.office))
        return
    shell = await plans.for_interview(shell, argument)  # the plan whose 约谈 it is
    outcome = await shell.runner.call(
        interviews.record_interview, shell.runtime, argument, actor(said.user), said.chat, shell.now()
    )
    if isinstance(outcome, interviews.InterviewRefused):
        await front.say(said.chat, bureau_texts.interview_refused(outcome, rt.office, shell.today()))
        return
    record = interview_recorded(outcome.interview)
    await front.say(said.chat, bureau_texts.recorded(record))
    for target in outcome.tell:
        await send_text(shell, target, record)


async def _invite(front: Front, said: Said, unit: str) -> None:
    """A one-time code for a department's group, made in the one-to-one chat (never shown in a group)."""
    shell = front.shell
    rt = shell.runtime
    if said.group or not unit:
        await front.say(said.chat, mention.usage("invite", rt.office))
        return
    made = await plans.invite(shell, unit, actor(said.user), shell.now())  # a unit of any plan
    if isinstance(made, binding.NoSuchRespondent):
        await front.say(said.chat, mention.no_such_unit(made.written, made.candidates, made.suggestion, rt.office))
        return
    await front.say(said.chat, mention.invite_made(made.invite, rt.tz))


async def _round(front: Front, said: Said, argument: str) -> None:
    """A round opened now (of the plan named, with several); while one is open, a card asks: a new round, or
    its checklists again."""
    shell = plans.named(front.shell, argument)
    if shell is None:
        await front.say(said.chat, plan_answers.round_usage([rt.plan for rt in front.shell.runtimes if not rt.retired]))
        return
    outcome = await request_round(shell, shell.now())
    if isinstance(outcome, RoundStillOpen):
        still = outcome.open
        view = rounds.still_open(still.round, still.reported, still.expected, still.prompted, shell.runtime.tz)
        await deliver(shell, said.chat, view)
        return
    due = fmt.day_time(outcome.round.due_at, shell.runtime.tz)
    await front.say(said.chat, messages.round_opened_now(outcome.round.id, due, outcome.prompted))


async def _measure(front: Front, argument: str) -> str:
    """`measure 营商环境 3`, or `measure 3` when one plan only has a measure 3."""
    shell = front.shell
    found = await shell.runner.quick(plan_queries.measure_all, shell.runtimes, argument)
    if isinstance(found, plan_queries.AmbiguousMeasure):
        return plan_answers.ambiguous_measure(found.written, found.plans)
    rt, answer = found
    text = answers.measure_answer(answer, rt.matrix, rt.office, rt.tz)
    return plan_answers.by_plan([(rt.plan, rt.office.plan_title, text)])
