"""Core values to JSON documents and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supervisor_bot.core.outbox import Intent
from supervisor_bot.core.oversight import Closure, ClosureState, Extension, Interview, Resolution
from supervisor_bot.core.people import Actor, ChatId
from supervisor_bot.core.prompts import PendingNote, Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Opening, Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind

Doc = dict[str, Any]


def when(value: dt.datetime) -> str:
    return value.isoformat()


def moment(value: str) -> dt.datetime:
    """An ISO moment with its offset, as `when` wrote it (fromisoformat: thirty times faster than a parser)."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"a moment without its offset: {value!r}")
    return parsed


def maybe_moment(value: str | None) -> dt.datetime | None:
    return moment(value) if value else None


def ident(value: object) -> ChatId:
    """A chat's, person's or message's identity as the messenger gave it: an integer or a string, kept as it is."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"not an identity: {value!r}")
    return value


def keyed(plan: str) -> Doc:
    """A plan's records carry its key; a one-plan deployment's stay as they were (no "plan")."""
    return {"plan": plan} if plan else {}


def actor_doc(actor: Actor) -> Doc:
    return {"id": actor.user_id, "name": actor.name}


def actor(doc: Doc) -> Actor:
    return Actor(ident(doc["id"]), str(doc["name"]))


def round_doc(r: Round) -> Doc:
    return {
        "id": r.id,
        "week": r.week,
        "opened_at": when(r.opened_at),
        "due_at": when(r.due_at),
        "opening": r.opening.value,
        "closed_at": when(r.closed_at) if r.closed_at else None,
        **keyed(r.plan),
    }


def round_(d: Doc) -> Round:
    return Round(
        d["id"],
        d["week"],
        moment(d["opened_at"]),
        moment(d["due_at"]),
        Opening(d["opening"]),
        maybe_moment(d["closed_at"]),
        plan=d.get("plan", ""),
    )


def report_doc(r: Report) -> Doc:
    return {
        "round_id": r.round_id,
        "measure": r.measure,
        "respondent": r.respondent,
        "status": r.status.value,
        "note": r.note,
        "at": when(r.at),
        "actor": actor_doc(r.actor),
        "chat_id": r.chat_id,
        "carried": r.carried,
    }


def report(d: Doc) -> Report:
    return Report(
        d["round_id"],
        int(d["measure"]),
        d["respondent"],
        Status(d["status"]),
        d["note"],
        moment(d["at"]),
        actor(d["actor"]),
        ident(d["chat_id"]),
        bool(d["carried"]),
    )


def audit_doc(a: AuditEntry) -> Doc:
    return {
        "at": when(a.at),
        "actor": actor_doc(a.actor),
        "chat_id": a.chat_id,
        "action": a.action,
        "round_id": a.round_id,
        "measure": a.measure,
        "respondent": a.respondent,
        "before": a.before,
        "after": a.after,
        "note": a.note,
        **keyed(a.plan),
    }


def audit(d: Doc) -> AuditEntry:
    return AuditEntry(
        moment(d["at"]),
        actor(d["actor"]),
        ident(d["chat_id"]),
        d["action"],
        d["round_id"],
        d["measure"],
        d["respondent"],
        d["before"],
        d["after"],
        d["note"],
        plan=d.get("plan", ""),
    )


def prompt_doc(p: Prompt) -> Doc:
    return {
        "id": p.id,
        "round_id": p.round_id,
        "respondent": p.respondent,
        "chat_id": p.chat_id,
        "message_id": p.message_id,
        "page": p.page,
        "focus": p.focus,
        **keyed(p.plan),
    }


def prompt(d: Doc) -> Prompt:
    return Prompt(
        d["id"],
        d["round_id"],
        d["respondent"],
        ident(d["chat_id"]),
        d["message_id"],
        d["page"],
        d["focus"],
        d.get("plan", ""),
    )


def note_doc(n: PendingNote) -> Doc:
    return {
        "round_id": n.round_id,
        "respondent": n.respondent,
        "measure": n.measure,
        "status": n.status.value if n.status else None,
        "chat_id": n.chat_id,
        "message_id": n.message_id,
        "requested_by": actor_doc(n.requested_by),
        "at": when(n.at),
        **keyed(n.plan),
    }


def note(d: Doc) -> PendingNote:
    return PendingNote(
        d["round_id"],
        d["respondent"],
        int(d["measure"]),
        Status(d["status"]) if d["status"] else None,
        ident(d["chat_id"]),
        ident(d["message_id"]),
        actor(d["requested_by"]),
        moment(d["at"]),
        plan=d.get("plan", ""),
    )


def extension_doc(e: Extension) -> Doc:
    return {
        "measure": e.measure,
        "respondent": e.respondent,
        "until": e.until.isoformat(),
        "by": actor_doc(e.by),
        "at": when(e.at),
        **keyed(e.plan),
    }


def extension(d: Doc) -> Extension:
    return Extension(
        int(d["measure"]),
        d["respondent"],
        dt.date.fromisoformat(d["until"]),
        actor(d["by"]),
        moment(d["at"]),
        plan=d.get("plan", ""),
    )


def resolution_doc(r: Resolution) -> Doc:
    return {
        "round_id": r.round_id,
        "measure": r.measure,
        "respondent": r.respondent,
        "by": actor_doc(r.by),
        "at": when(r.at),
    }


def resolution(d: Doc) -> Resolution:
    return Resolution(d["round_id"], int(d["measure"]), d["respondent"], actor(d["by"]), moment(d["at"]))


def closure_doc(c: Closure) -> Doc:
    return {
        "measure": c.measure,
        "respondent": c.respondent,
        "state": c.state.value,
        "note": c.note,
        "reported_at": when(c.reported_at),
        "decided_by": actor_doc(c.decided_by) if c.decided_by else None,
        "decided_at": when(c.decided_at) if c.decided_at else None,
        "reason": c.reason,
        **keyed(c.plan),
    }


def closure(d: Doc) -> Closure:
    return Closure(
        int(d["measure"]),
        d["respondent"],
        ClosureState(d["state"]),
        d["note"],
        moment(d["reported_at"]),
        actor(d["decided_by"]) if d["decided_by"] else None,
        maybe_moment(d["decided_at"]),
        d["reason"],
        plan=d.get("plan", ""),
    )


def interview_doc(i: Interview) -> Doc:
    return {
        "respondent": i.respondent,
        "proposed_at": when(i.proposed_at),
        "proposed_for": when(i.proposed_for),
        "reasons": list(i.reasons),
        "items": list(i.items),
        "held_on": i.held_on.isoformat() if i.held_on else None,
        "points": i.points,
        "rectify_by": i.rectify_by.isoformat() if i.rectify_by else None,
        "recorded_by": actor_doc(i.recorded_by) if i.recorded_by else None,
        **keyed(i.plan),
    }


def interview(d: Doc) -> Interview:
    return Interview(
        d["respondent"],
        moment(d["proposed_at"]),
        moment(d["proposed_for"]),
        tuple(d["reasons"]),
        tuple(int(m) for m in d["items"]),
        dt.date.fromisoformat(d["held_on"]) if d["held_on"] else None,
        d["points"],
        dt.date.fromisoformat(d["rectify_by"]) if d["rectify_by"] else None,
        actor(d["recorded_by"]) if d["recorded_by"] else None,
        plan=d.get("plan", ""),
    )


def ticket_doc(t: Ticket) -> Doc:
    return {
        "id": t.id,
        "kind": t.kind.value,
        "round_id": t.round_id,
        "respondent": t.respondent,
        "measures": list(t.measures),
        "chat_id": t.chat_id,
        "message_id": t.message_id,
        **keyed(t.plan),
    }


def ticket(d: Doc) -> Ticket:
    return Ticket(
        d["id"],
        TicketKind(d["kind"]),
        d["round_id"],
        d["respondent"],
        tuple(int(m) for m in d["measures"]),
        ident(d["chat_id"]),
        d["message_id"],
        plan=d.get("plan", ""),
    )


def intent_doc(i: Intent) -> Doc:
    return {"key": i.key, "chat": i.chat, "message": i.message}


def intent(d: Doc) -> Intent:
    return Intent(d["key"], ident(d["chat"]), ident(d["message"]) if d["message"] is not None else None)
