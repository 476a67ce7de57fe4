"""The tables of migrations/0001_schema.sql as the code writes them: each row is a JSON document (storage.codec's,
the files backend's own) and the columns that find it, taken from the document — or given, like an audit entry's
`log` (the round whose trail holds it; NULL: the journal outside rounds)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

Doc = dict[str, Any]
Row = tuple[Mapping[str, Any], Doc]  # (the columns a document does not hold, the document)


def chat_key(value: object) -> str:
    """A chat's or message's id as a key: 7 and "7" are different chats (Telegram's and WeCom's)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type) besides seq and doc
    key: tuple[str, ...]  # the primary key ((): seq)
    of: Callable[[Doc], Mapping[str, Any]]  # the columns a document holds

    def values(self, doc: Doc, given: Mapping[str, Any]) -> list[Any]:
        held = self.of(doc)
        return [given[name] if name in given else held[name] for name, _ in self.columns]

    def insert_sql(self, upsert: bool) -> bytes:
        names = [name for name, _ in self.columns]
        marks = [f"%s::{kind}" for _, kind in self.columns]
        sql = f"INSERT INTO {self.name} ({', '.join([*names, 'doc'])}) VALUES ({', '.join([*marks, '%s'])})"
        if self.key:
            rest = [n for n in names if n not in self.key]
            sets = ", ".join(f"{n} = EXCLUDED.{n}" for n in [*rest, "doc"])
            sql += f" ON CONFLICT ({', '.join(self.key)}) DO " + (f"UPDATE SET {sets}" if upsert else "NOTHING")
        return sql.encode()


def _t(name: str, columns: str, key: str, of: Callable[[Doc], Mapping[str, Any]]) -> Table:
    cols = tuple((c.split(":")[0], c.split(":")[1] if ":" in c else "text") for c in columns.split())
    return Table(name, cols, tuple(key.split()), of)


def _plan(doc: Doc) -> str:
    return str(doc.get("plan", ""))


def _item(doc: Doc) -> Doc:
    return {"plan": _plan(doc), "measure": doc["measure"], "respondent": doc["respondent"]}


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _t("bindings", "respondent", "respondent", lambda d: {"respondent": d["respondent"]}),
        _t("invites", "code", "code", lambda d: {"code": d["code"]}),
        _t("rounds", "id plan opened_at:timestamptz", "id",
           lambda d: {"id": d["id"], "plan": _plan(d), "opened_at": d["opened_at"]}),
        _t("reports", "round_id measure:integer respondent", "round_id measure respondent", lambda d: d),
        _t("audit", "log plan", "", lambda d: {"plan": _plan(d)}),
        _t("steps", "round_id key", "round_id key", lambda d: d),
        _t("escalated", "round_id measure:integer respondent", "round_id measure respondent", lambda d: d),
        _t("resolutions", "round_id", "", lambda d: d),
        _t("prompts", "id plan respondent", "id", lambda d: {**d, "plan": _plan(d)}),
        _t("notes", "chat_id message_id plan", "chat_id message_id",
           lambda d: {"chat_id": chat_key(d["chat_id"]), "message_id": chat_key(d["message_id"]), "plan": _plan(d)}),
        _t("extensions", "plan measure:integer respondent", "plan measure respondent", _item),
        _t("closures", "plan measure:integer respondent", "plan measure respondent", _item),
        _t("interviews", "plan respondent proposed_at:timestamptz", "plan respondent proposed_at",
           lambda d: {**d, "plan": _plan(d)}),
        _t("tickets", "id plan round_id kind", "id", lambda d: {**d, "plan": _plan(d)}),
        _t("lasting", "key", "key", lambda d: d),
        _t("evidence", "id plan at:timestamptz", "id", lambda d: {**d, "plan": _plan(d)}),
        _t("outbox", "key", "key", lambda d: d),
        _t("counters", "name", "name", lambda d: d),
        _t("handled_updates", "update_id:bigint", "update_id", lambda d: d),
    )
}  # fmt: skip


def write(conn: psycopg.Connection[Any], table: str, docs: Sequence[Doc], upsert: bool = True, **given: Any) -> None:
    """Documents into `table` in their order (a key already there: replaced in its place, or kept if not `upsert`)."""
    spec = TABLES[table]
    if docs:
        with conn.cursor() as cur:
            cur.executemany(spec.insert_sql(upsert), [(*spec.values(d, given), Jsonb(d)) for d in docs])


def write_rows(conn: psycopg.Connection[Any], table: str, rows: Sequence[Row]) -> None:
    """Rows as `dump` reads them, in their order."""
    spec = TABLES[table]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(spec.insert_sql(False), [(*spec.values(doc, given), Jsonb(doc)) for given, doc in rows])


def docs(conn: psycopg.Connection[Any], sql: str, *params: Any) -> list[Doc]:
    """The first column of each row: `SELECT doc FROM … ORDER BY seq`."""
    return [row[0] for row in conn.execute(sql.encode(), params).fetchall()]
