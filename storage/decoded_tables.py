"""The tables of state.json as the store reads them: decoded once for each version, and upserted by an index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tinydb import TinyDB

from storage import codec

T = TypeVar("T")


@dataclass
class _Decoded:
    raw: object  # the table's dict in the storage when it was decoded
    docs: dict[str, tuple[codec.Doc, Any]]  # document id → (a copy of the document, its value)
    values: list[Any]


class DecodedTables:
    def __init__(self, db: TinyDB) -> None:
        self._db = db
        self._decoded: dict[str, _Decoded] = {}
        self._indexes: dict[str, tuple[object, tuple[str, ...], dict[tuple[Any, ...], int]]] = {}

    def _raw(self, name: str) -> Any:
        return (self._db.storage.read() or {}).get(name)

    def read(self, name: str, decode: Callable[[codec.Doc], T], order: Callable[[T], Any] | None = None) -> list[T]:
        """A table of state.json, decoded (and sorted by `order`) once for each version of it — the values are
        frozen. TinyDB puts a new dict in place of a table's whenever it writes to it, and the storage reads new
        dicts after a failed flush: the raw dict is the version. Rounds, bindings and prompts are read on every
        press: years of rounds decoded and sorted afresh each time made a press after five years dearer. In a new
        version only the documents that changed are decoded again (TinyDB updates a document in place, so each
        is compared with a copy of what was decoded): years of 约谈 are not decoded again for each new one."""
        raw = self._raw(name)
        cached = self._decoded.get(name)
        if cached is None or cached.raw is not raw:
            before = cached.docs if cached is not None else {}
            docs: dict[str, tuple[codec.Doc, Any]] = {}
            for doc_id, doc in (raw or {}).items():
                known = before.get(doc_id)
                docs[doc_id] = known if known is not None and known[0] == doc else (dict(doc), decode(dict(doc)))
            values = [value for _, value in docs.values()]
            cached = _Decoded(raw, docs, sorted(values, key=order) if order is not None else values)
            self._decoded[name] = cached
        return list(cached.values)

    def upsert(self, name: str, doc: codec.Doc, *fields: str) -> None:
        """TinyDB's upsert, the document found by its `fields` in an index kept beside the table: TinyDB's own
        upsert tries a query on every document, some 7 ms a write among a province's years of 约谈 and digests."""
        raw = self._raw(name)
        cached = self._indexes.get(name)
        if cached is None or cached[0] is not raw or cached[1] != fields:
            index = {tuple(d.get(f, "") for f in fields): int(doc_id) for doc_id, d in (raw or {}).items()}
        else:
            index = cached[2]
        key = tuple(doc.get(f, "") for f in fields)  # a record of a one-plan folder has no "plan": ""
        table = self._db.table(name)
        if key in index:
            table.update(doc, doc_ids=[index[key]])
        else:
            index[key] = table.insert(doc)
        self._indexes[name] = (self._raw(name), fields, index)
