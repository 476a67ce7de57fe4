"""Bindings and invites (the office's, shared by every plan) to JSON documents and back."""

from __future__ import annotations

from storage.codec import Doc, actor, actor_doc, ident, maybe_moment, moment, when
from supervisor_bot.core.bindings import Binding, Invite


def binding_doc(b: Binding) -> Doc:
    return {
        "respondent": b.respondent,
        "chat_id": b.chat_id,
        "liaisons": sorted(b.liaisons, key=str),
        "active": b.active,
        "title": b.title,
    }


def binding(d: Doc) -> Binding:
    return Binding(
        d["respondent"], ident(d["chat_id"]), frozenset(d["liaisons"]), bool(d["active"]), d.get("title", "")
    )


def invite_doc(i: Invite) -> Doc:
    return {
        "code": i.code,
        "respondent": i.respondent,
        "created_by": actor_doc(i.created_by),
        "created_at": when(i.created_at),
        "expires_at": when(i.expires_at),
        "used_at": when(i.used_at) if i.used_at else None,
        "used_by": actor_doc(i.used_by) if i.used_by else None,
        "used_in_chat": i.used_in_chat,
    }


def invite(d: Doc) -> Invite:
    return Invite(
        d["code"],
        d["respondent"],
        actor(d["created_by"]),
        moment(d["created_at"]),
        moment(d["expires_at"]),
        maybe_moment(d["used_at"]),
        actor(d["used_by"]) if d["used_by"] else None,
        d["used_in_chat"],
    )
