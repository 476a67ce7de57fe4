"""佐证材料 records to JSON documents and back."""

from __future__ import annotations

from storage.codec import Doc, actor, actor_doc, ident, keyed, moment, when
from supervisor_bot.core.evidence import Evidence


def evidence_doc(e: Evidence) -> Doc:
    return {
        "id": e.id,
        "round_id": e.round_id,
        "measure": e.measure,
        "respondent": e.respondent,
        "name": e.name,
        "path": e.path,
        "size": e.size,
        "at": when(e.at),
        "actor": actor_doc(e.actor),
        "chat_id": e.chat_id,
        **keyed(e.plan),
    }


def evidence(d: Doc) -> Evidence:
    return Evidence(
        str(d["id"]),
        str(d["round_id"]),
        int(d["measure"]),
        str(d["respondent"]),
        str(d["name"]),
        str(d["path"]),
        int(d["size"]),
        moment(d["at"]),
        actor(d["actor"]),
        ident(d["chat_id"]),
        plan=str(d.get("plan", "")),
    )
