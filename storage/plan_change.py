"""A revised plan carried into the stored state (state.json's tables); the rounds' logs get a `plan` event, folded
by storage.round_files, so that they stay append-only and every change can be read back in them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tinydb import TinyDB

from storage import codec
from supervisor_bot.core import plan_rekey
from supervisor_bot.core.plan_rekey import Rekeying

T = TypeVar("T")


def _rewrite(
    db: TinyDB,
    name: str,
    decode: Callable[[codec.Doc], T],
    encode: Callable[[T], codec.Doc],
    change: Callable[[T], T | None],
    key: Callable[[T], Any] | None = None,
    plan: str | None = None,
) -> None:
    """Each record of plan `plan` (None: every record) changed; the others as they were."""
    values = [
        change(v) if plan is None or getattr(v, "plan", "") == plan else v
        for v in (decode(dict(doc)) for doc in db.table(name).all())
    ]
    kept = [v for v in values if v is not None]
    if key is not None:  # an item handed to a unit that has one of its own: the later one stands
        kept = list({key(v): v for v in kept}.values())
    table = db.table(name)
    table.truncate()
    table.insert_multiple(encode(v) for v in kept)


def rekey_state(db: TinyDB, rk: Rekeying, plan: str | None = None) -> None:
    _rewrite(db, "extensions", codec.extension, codec.extension_doc, lambda v: plan_rekey.extension(rk, v),
             key=lambda v: (v.plan, v.measure, v.respondent), plan=plan)  # fmt: skip
    _rewrite(db, "closures", codec.closure, codec.closure_doc, lambda v: plan_rekey.closure(rk, v),
             key=lambda v: (v.plan, v.measure, v.respondent), plan=plan)  # fmt: skip
    _rewrite(db, "tickets", codec.ticket, codec.ticket_doc, lambda v: plan_rekey.ticket(rk, v), plan=plan)
    _rewrite(db, "interviews", codec.interview, codec.interview_doc, lambda v: plan_rekey.interview(rk, v), plan=plan)
    _rewrite(db, "notes", codec.note, codec.note_doc, lambda v: plan_rekey.note(rk, v), plan=plan)
    _rewrite(db, "journal", codec.audit, codec.audit_doc, lambda v: plan_rekey.audit(rk, v), plan=plan)


_ADOPTED = ("rounds", "prompts", "notes", "extensions", "closures", "interviews", "tickets", "evidence")


def adopt_state(db: TinyDB, plan: str) -> None:
    """A one-plan folder's records, which carry no plan's key, become plan `plan`'s: the key is added to each
    document of state.json (rounds' logs are kept with their rounds and stay as they were written). Entries of
    the journal that concern a measure go with them; those about bindings concern no plan."""
    for name in (*_ADOPTED, "journal"):
        table = db.table(name)
        ids = [
            d.doc_id for d in table.all() if not d.get("plan") and (name != "journal" or d.get("measure") is not None)
        ]
        if ids:
            table.update({"plan": plan}, doc_ids=ids)
    for name in ("lasting", "outbox"):  # steps done outside rounds (digests), messages on their way: the plan's keys
        table = db.table(name)
        for doc in table.all():
            if not str(doc["key"]).startswith(f"{plan}/"):  # adopted once, even when run again after a crash
                table.update({"key": f"{plan}/{doc['key']}"}, doc_ids=[doc.doc_id])
