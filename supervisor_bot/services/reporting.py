"""A liaison presses the checklist's buttons and replies with notes; every change is checked and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from supervisor_bot.core import reports as core_reports
from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.core.prompts import PendingNote, Prompt, clamp_page
from supervisor_bot.core.reports import Refusal, Report
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import checklist
from supervisor_bot.views.callbacks import Act, Press
from supervisor_bot.views.view import View


@dataclass(frozen=True)
class Refused:
    reason: Refusal


@dataclass(frozen=True)
class Show:
    """Redraw the checklist `prompt_id` (`current_view` draws it as it stands when the edit goes out); `toast`
    answers the button press."""

    prompt_id: str
    toast: str = ""


@dataclass(frozen=True)
class AskNote:
    """Show the checklist, then send `request` (a ForceReply) and remember it as a pending note."""

    view: View
    request: View
    prompt: Prompt
    measure: int
    status: Status | None
    toast: str


@dataclass(frozen=True)
class NoteRecorded:
    report: Report
    prompt: Prompt | None  # the checklist to refresh, if it is live
    view: View | None
    from_checklist: bool  # the note replied to the checklist itself, not to a request for it


@dataclass(frozen=True)
class NotANote:
    """A reply to one of the bot's messages that asks for nothing."""

    in_department_chat: bool


PressOutcome = Refused | Show | AskNote
NoteOutcome = Refused | NoteRecorded | NotANote


def _duty(rt: Runtime, respondent: str, measure: int) -> Duty | None:
    return next((d for d in rt.duties.get(respondent, ()) if d.measure.number == measure), None)


def _by_measure(rt: Runtime, round_id: str, respondent: str) -> dict[int, Report]:
    return {m: r for (m, who), r in rt.store.reports(round_id).items() if who == respondent}


def render(rt: Runtime, prompt: Prompt, round_: Round, now: dt.datetime, awaiting: Status | None = None) -> View:
    """The checklist as it stands: the list, or the measure in focus."""
    duties = rt.duties.get(prompt.respondent, ())
    reports = _by_measure(rt, round_.id, prompt.respondent)
    duty = _duty(rt, prompt.respondent, prompt.focus) if prompt.focus is not None else None
    if duty is not None and round_.is_open(now):
        cooperating = rt.matrix.listed_only(duty.measure)
        report = reports.get(duty.measure.number)
        return checklist.measure_detail(prompt, round_, duty, report, rt.tz, awaiting, rt.label, cooperating)
    return checklist.checklist(prompt, round_, duties, reports, rt.tz, closed=not round_.is_open(now), label=rt.label)


def current_view(rt: Runtime, prompt_id: str, now: dt.datetime) -> View | None:
    """The checklist `prompt_id` as it stands, if it is still live: drawn when its redraw goes out, not before a
    press is answered."""
    prompt = rt.live_prompt(prompt_id)
    round_ = rt.round(prompt.round_id) if prompt is not None else None
    if prompt is None or round_ is None:
        return None
    return render(rt, prompt, round_, now)


def _checks(
    rt: Runtime, prompt: Prompt | None, chat_id: ChatId, message_id: MessageId, actor: Actor, now: dt.datetime
) -> tuple[Prompt, Round] | Refusal:
    if prompt is None:
        return Refusal.FORGED
    if prompt.chat_id != chat_id:
        return Refusal.WRONG_CHAT
    if prompt.message_id != message_id:
        return Refusal.STALE
    round_ = rt.round(prompt.round_id)
    if round_ is None:
        return Refusal.FORGED
    if not round_.is_open(now):
        return Refusal.ROUND_CLOSED
    refusal = core_reports.check_reporter(rt.binding_of(prompt.respondent), prompt.respondent, chat_id, actor)
    return refusal if refusal is not None else (prompt, round_)


def press(
    rt: Runtime, pressed: Press | None, chat_id: ChatId, message_id: MessageId, actor: Actor, now: dt.datetime
) -> PressOutcome:
    """A button on a checklist: turn the page, open a measure, set a status, ask to add a note."""
    if pressed is None:
        return Refused(Refusal.FORGED)
    checked = _checks(rt, rt.live_prompt(pressed.prompt_id), chat_id, message_id, actor, now)
    if isinstance(checked, Refusal):
        return Refused(checked)
    prompt, round_ = checked
    duties = rt.duties.get(prompt.respondent, ())
    if pressed.act is Act.PAGE:
        prompt = replace(prompt, page=clamp_page(pressed.number, len(duties)), focus=None)
    elif pressed.act is Act.BACK:
        prompt = replace(prompt, focus=None)
    else:
        duty = _duty(rt, prompt.respondent, pressed.number)
        if duty is None:
            return Refused(Refusal.NOT_THEIRS)
        prompt = replace(prompt, focus=duty.measure.number)
        if pressed.act is Act.STATUS:
            if pressed.status is None:
                return Refused(Refusal.FORGED)
            return _set_status(rt, prompt, round_, duty, pressed.status, chat_id, actor, now)
        if pressed.act is Act.NOTE:
            current = rt.store.reports(round_.id).get((duty.measure.number, prompt.respondent))
            if current is None:
                return Refused(Refusal.NOTHING_TO_NOTE)
            rt.remember_view(prompt)
            request = checklist.note_request(rt.item(duty.measure.number), None, prompt.respondent)
            return AskNote(
                render(rt, prompt, round_, now),
                request,
                prompt,
                duty.measure.number,
                None,
                "请回复机器人的提示消息补充说明",
            )
    rt.remember_view(prompt)
    return Show(prompt.id)


def _set_status(
    rt: Runtime,
    prompt: Prompt,
    round_: Round,
    duty: Duty,
    status: Status,
    chat_id: ChatId,
    actor: Actor,
    now: dt.datetime,
) -> PressOutcome:
    number = duty.measure.number
    if status.needs_note:
        rt.remember_view(prompt)
        request = checklist.note_request(rt.item(number), status, prompt.respondent)
        view = render(rt, prompt, round_, now, awaiting=status)
        return AskNote(view, request, prompt, number, status, f"请回复提示消息说明情况后记为“{status.label}”")
    current = rt.store.reports(round_.id).get((number, prompt.respondent))
    report, audit = core_reports.record(
        current,
        round_id=round_.id,
        measure=number,
        respondent=prompt.respondent,
        status=status,
        note="",
        actor=actor,
        chat_id=chat_id,
        now=now,
    )
    rt.store.save_reports(round_.id, [report], [audit])
    rt.remember_view(prompt)
    return Show(prompt.id, f"已记录：{rt.item(number)} {status.label}")


def note_requested(rt: Runtime, asked: AskNote, message_id: MessageId, actor: Actor, now: dt.datetime) -> None:
    """The ForceReply went out as `message_id`: a reply to it is the note."""
    rt.store.save_pending_note(
        PendingNote(
            asked.prompt.round_id,
            asked.prompt.respondent,
            asked.measure,
            asked.status,
            asked.prompt.chat_id,
            message_id,
            actor,
            now,
        )
    )


def _pending_from_prompt(
    rt: Runtime, chat_id: ChatId, message_id: MessageId, actor: Actor, now: dt.datetime
) -> PendingNote | None:
    """A reply to the checklist itself, while it shows a measure, is a note on that measure."""
    found = next((p for p in rt.store.prompts() if p.chat_id == chat_id and p.message_id == message_id), None)
    prompt = rt.with_view(found) if found is not None else None
    if prompt is None or prompt.focus is None:
        return None
    return PendingNote(prompt.round_id, prompt.respondent, prompt.focus, None, chat_id, message_id, actor, now)


def _pending_from_request(
    rt: Runtime, chat_id: ChatId, reply_to: MessageId, request: str, sent_at: dt.datetime | None, actor: Actor
) -> PendingNote | None:
    """The request's own words name the measure, the unit and the status: enough, even before (or without)
    the stored pending note — a reply can overtake the write that records the request."""
    read = checklist.read_note_request(request)
    live = rt.current_round()
    if read is None or live is None or sent_at is None or sent_at < live.opened_at:
        return None
    label, respondent, status = read
    measure = rt.matrix.find(label)
    if measure is None:
        return None
    return PendingNote(live.id, respondent, measure.number, status, chat_id, reply_to, actor, sent_at)


def read_request(
    rt: Runtime, chat_id: ChatId, reply_to: MessageId, request: str, sent_at: dt.datetime | None, actor: Actor
) -> PendingNote | None:
    """The note request a reply answers, read from its words (a file replying to it is for the same measure)."""
    return _pending_from_request(rt, chat_id, reply_to, request, sent_at, actor)


def note(
    rt: Runtime,
    chat_id: ChatId,
    reply_to: MessageId,
    text: str,
    actor: Actor,
    now: dt.datetime,
    request: str = "",
    sent_at: dt.datetime | None = None,
) -> NoteOutcome:
    """A reply to the bot's message: the note it asked for completes or annotates a report."""
    pending = rt.store.pending_note(chat_id, reply_to) or _pending_from_request(
        rt, chat_id, reply_to, request, sent_at, actor
    )
    from_prompt = pending is None
    if pending is None:
        pending = _pending_from_prompt(rt, chat_id, reply_to, actor, now)
    if pending is None:
        return NotANote(rt.binding_of_chat(chat_id) is not None)
    refusal = core_reports.check_reporter(rt.binding_of(pending.respondent), pending.respondent, chat_id, actor)
    if refusal is not None:
        return Refused(refusal)
    round_ = rt.round(pending.round_id)
    if round_ is None or not round_.is_open(now):
        return Refused(Refusal.ROUND_CLOSED)
    current = rt.store.reports(round_.id).get((pending.measure, pending.respondent))
    status = pending.status or (current.status if current else None)
    if status is None:
        return Refused(Refusal.NOTHING_TO_NOTE)
    refusal = core_reports.check_note(status, text)
    if refusal is None and not text.strip():
        refusal = Refusal.NOTE_REQUIRED
    if refusal is not None:
        return Refused(refusal)
    if pending.status is not None or current is None:
        report, audit = core_reports.record(
            current,
            round_id=round_.id,
            measure=pending.measure,
            respondent=pending.respondent,
            status=status,
            note=text,
            actor=actor,
            chat_id=chat_id,
            now=now,
        )
    else:
        report, audit = core_reports.add_note(current, text, actor, chat_id, now)
    rt.store.save_reports(round_.id, [report], [audit])
    if not from_prompt:
        rt.store.delete_pending_note(chat_id, reply_to)
    prompt = next(
        (p for p in rt.store.prompts() if p.round_id == round_.id and p.respondent == pending.respondent), None
    )
    view = render(rt, prompt, round_, now) if prompt is not None and prompt.message_id is not None else None
    return NoteRecorded(report, prompt, view, from_prompt)
