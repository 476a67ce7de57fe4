"""Binding department group chats: invites, /bind, and what happens when a chat goes away or moves."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace

from supervisor_bot.core.bindings import INVITE_LIFETIME, Binding, BindRefusal, Bound, Invite, redeem
from supervisor_bot.core.matrix import Ask
from supervisor_bot.core.people import SYSTEM, Actor, ChatId
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.respondents import respondents
from supervisor_bot.ports.store import EVERY_PLAN
from supervisor_bot.services.runtime import Runtime

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class InviteMade:
    invite: Invite


@dataclass(frozen=True)
class NoSuchRespondent:
    written: str
    candidates: tuple[str, ...]
    suggestion: str | None = None  # the unit a mistyped name most likely means


def invite(
    rt: Runtime, written: str, actor: Actor, now: dt.datetime, code: str | None = None
) -> InviteMade | NoSuchRespondent:
    """A coordinator's /invite 部门: a one-time code for that department's group."""
    found = rt.find_respondent(written)
    if len(found) != 1:
        return NoSuchRespondent(written, tuple(found[:12]), None if found else rt.suggest_respondent(written))
    made = Invite(code or new_code(), found[0], actor, now, now + INVITE_LIFETIME)
    rt.store.save_invite(made)
    return InviteMade(made)


def bind(
    rt: Runtime, code: str, *, chat_id: ChatId, is_group: bool, title: str, actor: Actor, now: dt.datetime
) -> Bound | BindRefusal:
    """A liaison's /bind CODE in the department's group (never the bureau's or the leaders' group)."""
    if chat_id in (rt.bureau_chat, rt.leaders_chat):
        return BindRefusal.RESERVED_CHAT
    current = rt.store.bindings()
    found = rt.store.invite(code.strip().upper())
    outcome = redeem(
        found,
        chat_id=chat_id,
        is_group=is_group,
        title=title,
        actor=actor,
        now=now,
        chat_binding=next((b for b in current if b.chat_id == chat_id), None),
        respondent_binding=next((b for b in current if found and b.respondent == found.respondent), None),
    )
    if isinstance(outcome, BindRefusal):
        return outcome
    stale = next((b for b in current if b.chat_id == chat_id and b.respondent != outcome.binding.respondent), None)
    if stale is not None:  # a group the bot had been removed from, now bound afresh
        rt.store.delete_binding(stale.respondent, _audit(now, actor, chat_id, "unbind", stale.respondent))
    rt.store.save_invite(outcome.invite)
    rt.store.save_binding(outcome.binding, _audit(now, actor, chat_id, "bind", outcome.binding.respondent, code))
    if outcome.moved_from is not None or outcome.new_chat:
        rt.store.delete_prompts(outcome.binding.respondent, EVERY_PLAN)  # the tick sends the checklist to the new chat
    return outcome


def _audit(
    now: dt.datetime, actor: Actor, chat_id: ChatId, action: str, respondent: str, note: str | None = None
) -> AuditEntry:
    return AuditEntry(now, actor, chat_id, action, respondent=respondent, note=note)


def apply_settings(rt: Runtime, bindings: dict[str, ChatId], now: dt.datetime) -> list[str]:
    """Bindings written in settings.toml: stored at start-up; returns the names it could not place. A unit the plan
    names only as 配合 under `ask = "leads"` is not asked: its binding is left aside (check-config warns of it)."""
    unknown = []
    current = {b.respondent: b for b in rt.store.bindings()}
    everyone = {r.name for r in respondents(rt.matrix.asking(Ask.ALL))}
    for name, chat_id in bindings.items():
        if name not in rt.respondents:
            if name not in everyone:
                unknown.append(name)
            continue
        existing = current.get(name)
        if existing is None or existing.chat_id != chat_id:
            rt.store.save_binding(Binding(name, chat_id), _audit(now, SYSTEM, chat_id, "bind", name, "settings.toml"))
    return unknown


def chat_removed(rt: Runtime, chat_id: ChatId, actor: Actor, now: dt.datetime) -> Binding | None:
    """The bot was removed from a group: stop sending there; returns the binding so coordinators are told."""
    binding = next((b for b in rt.store.bindings() if b.chat_id == chat_id and b.active), None)
    if binding is None:
        return None
    rt.store.save_binding(replace(binding, active=False), _audit(now, actor, chat_id, "removed", binding.respondent))
    rt.store.delete_prompts(binding.respondent, EVERY_PLAN)
    return binding


def chat_migrated(rt: Runtime, old_chat: ChatId, new_chat: ChatId, now: dt.datetime) -> Binding | None:
    """A group became a supergroup: its id changed; the checklist is sent again to the new id."""
    binding = next((b for b in rt.store.bindings() if b.chat_id == old_chat), None)
    if binding is None:
        return None
    moved = replace(binding, chat_id=new_chat)
    rt.store.save_binding(
        moved, _audit(now, SYSTEM, new_chat, "migrated", binding.respondent, f"{old_chat} → {new_chat}")
    )
    rt.store.delete_prompts(binding.respondent, EVERY_PLAN)
    return moved
