"""佐证材料: a liaison replies to the bot's prompt with a document or a photo for a measure; the bot keeps it.

Two calls around the download, which the front does (the file is the messenger's): `accept` checks who sent
what for which measure and says where the file goes; `keep` records the file once it is in the data folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from supervisor_bot.core import evidence as core
from supervisor_bot.core import reports as core_reports
from supervisor_bot.core.evidence import Evidence, EvidenceRefusal
from supervisor_bot.core.oversight import ClosureState
from supervisor_bot.core.people import Actor, ChatId, MessageId
from supervisor_bot.core.reports import AuditEntry, Refusal
from supervisor_bot.core.tickets import TicketKind
from supervisor_bot.services import reporting
from supervisor_bot.services.outcomes import Outgoing
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import supervision as texts


@dataclass(frozen=True)
class Sent:
    """What the front read off the message: the reply, the file's name (None: sent without one), its size."""

    chat_id: ChatId
    reply_to: MessageId
    name: str | None
    size: int | None
    caption: str
    actor: Actor
    request: str = ""  # the text of the bot's message it replies to
    request_sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class Target:
    """Accepted: download the file to `path` (relative to the data folder), then call `keep`."""

    round_id: str
    measure: int
    respondent: str
    name: str
    path: str
    chat_id: ChatId
    actor: Actor


@dataclass(frozen=True)
class NotForUs:
    """A file replying to a bot message that asks for nothing."""

    in_department_chat: bool


@dataclass(frozen=True)
class Declined:
    """Refused for the file itself (too large, nameless, no measure named)."""

    reason: EvidenceRefusal


@dataclass(frozen=True)
class Kept:
    evidence: Evidence
    count: int  # the files the unit has sent for this measure, this one included
    ticket: Outgoing | None  # a 办结核实 awaiting the bureau, to show with this file
    label: str = ""  # the measure's number as the plan prints it (`一（三）`); "": its number


AcceptOutcome = Target | reporting.Refused | Declined | NotForUs
KeepOutcome = Kept | Declined


def _from_prompt(rt: Runtime, sent: Sent) -> tuple[str, str, int | None] | None:
    """A reply to the checklist: the measure it shows, or the one the caption names."""
    found = next((p for p in rt.store.prompts() if p.chat_id == sent.chat_id and p.message_id == sent.reply_to), None)
    if found is None:
        return None
    prompt = rt.with_view(found)
    named = core.measure_named(sent.caption)
    return prompt.round_id, prompt.respondent, named if named is not None else prompt.focus


def _item(rt: Runtime, sent: Sent) -> tuple[str, str, int | None] | None:
    """(round, unit, measure) the file is for, from the request it replies to or the checklist."""
    pending = rt.store.pending_note(sent.chat_id, sent.reply_to) or reporting.read_request(
        rt, sent.chat_id, sent.reply_to, sent.request, sent.request_sent_at, sent.actor
    )
    if pending is not None:
        return pending.round_id, pending.respondent, pending.measure
    return _from_prompt(rt, sent)


def accept(rt: Runtime, sent: Sent, now: dt.datetime) -> AcceptOutcome:
    """Whose file, for which measure, and whether it may be kept; nothing is stored yet."""
    item = _item(rt, sent)
    if item is None:
        return NotForUs(rt.binding_of_chat(sent.chat_id) is not None)
    round_id, respondent, measure = item
    refusal = core_reports.check_reporter(rt.binding_of(respondent), respondent, sent.chat_id, sent.actor)
    if refusal is not None:
        return reporting.Refused(refusal)
    round_ = rt.round(round_id)
    if round_ is None or not round_.is_open(now):
        return reporting.Refused(Refusal.ROUND_CLOSED)
    problem = core.check_file(sent.name, sent.size)
    if problem is not None:
        return Declined(problem)
    if measure is None:
        return Declined(EvidenceRefusal.NO_MEASURE)
    if not any(d.measure.number == measure for d in rt.duties.get(respondent, ())):
        return reporting.Refused(Refusal.NOT_THEIRS)
    name = (sent.name or "").strip()
    taken = {e.path for e in rt.store.evidence()}
    path = core.relative_path(round_id, respondent, measure, name, taken)
    return Target(round_id, measure, respondent, name, path, sent.chat_id, sent.actor)


def keep(rt: Runtime, target: Target, size: int, now: dt.datetime) -> KeepOutcome:
    """The file is at `target.path`: record it, with its audit entry; a 办结核实 awaiting the bureau shows it."""
    if size > core.MAX_BYTES:
        return Declined(EvidenceRefusal.TOO_LARGE)
    evidence = Evidence(
        str(rt.store.next_id("evidence")),
        target.round_id,
        target.measure,
        target.respondent,
        target.name,
        target.path,
        size,
        now,
        target.actor,
        target.chat_id,
        plan=rt.plan,
    )
    audit = AuditEntry(
        now,
        target.actor,
        target.chat_id,
        "evidence",
        target.round_id,
        target.measure,
        target.respondent,
        note=f"{target.name}（{target.path}）",
    )
    rt.store.save_evidence(evidence, audit)
    files = of_item(rt, target.measure, target.respondent)
    return Kept(evidence, len(files), _pending_ticket(rt, target.measure, target.respondent), rt.label(target.measure))


def file_at(rt: Runtime, evidence: Evidence, folder: Path) -> bool:
    """Whether the 佐证材料's file is at `folder / evidence.path` — brought there from the database where the
    store keeps the files (a standby's or a dashboard's machine)."""
    return rt.store.evidence_file(evidence, folder)


def of_item(rt: Runtime, measure: int, respondent: str) -> tuple[Evidence, ...]:
    """Every file a unit sent for a measure, in the order they came."""
    return tuple(e for e in rt.store.evidence() if e.key == (measure, respondent))


def _pending_ticket(rt: Runtime, measure: int, respondent: str) -> Outgoing | None:
    """The 办结核实 the bureau has yet to decide for this item, redrawn with its files."""
    closure = next((c for c in rt.store.closures() if (c.measure, c.respondent) == (measure, respondent)), None)
    if closure is None or closure.state is not ClosureState.PENDING:
        return None
    ticket = next(
        (
            t
            for t in rt.store.tickets()
            if t.kind is TicketKind.CLOSURE and t.respondent == respondent and t.measures == (measure,)
        ),
        None,
    )
    if ticket is None or ticket.message_id is None:
        return None
    files = of_item(rt, measure, respondent)
    return Outgoing(ticket.chat_id, texts.closure_ticket(ticket, closure, rt.matrix, rt.tz, evidence=files), ticket)
