"""A deployment's data as rows, the same on both backends — to copy a data folder into a database and back
(`main.py store migrate`) and to prove the copy whole: a count and a checksum per table.

A row is (the columns a document does not hold, the document): the documents are storage.codec's, as both
backends keep them. The tables are storage/postgres/migrations' (this module imports no database driver)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from storage import codec
from storage.atomic_storage import write_atomically
from storage.event_log import EventLog
from storage.handled_updates import HandledUpdates
from storage.peek import stored_state
from storage.round_files import RoundFile, RoundFiles

Row = tuple[dict[str, Any], codec.Doc]
Dump = dict[str, list[Row]]
TABLES = ("bindings", "invites", "rounds", "reports", "audit", "steps", "escalated", "resolutions", "prompts",
          "notes", "extensions", "closures", "interviews", "tickets", "lasting", "evidence", "outbox", "counters",
          "handled_updates")  # fmt: skip
STATE_TABLES = ("bindings", "invites", "rounds", "prompts", "notes", "extensions", "closures", "interviews",
                "tickets", "lasting", "evidence", "outbox", "counters")  # fmt: skip
_SAFE = re.compile(r"[^\w-]")  # as storage.round_files names a round's file


@dataclass(frozen=True)
class Tally:
    rows: int
    checksum: str  # sha256 of the rows' canonical JSON, sorted: the same whatever order a backend lists them in


def tally(dump: Dump) -> dict[str, Tally]:
    out = {}
    for table in TABLES:
        lines = sorted(orjson.dumps([g, d], option=orjson.OPT_SORT_KEYS) for g, d in dump.get(table, []))
        out[table] = Tally(len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest())
    return out


def _round_ids(data_dir: Path, state: dict[str, Any]) -> list[str]:
    """The rounds' ids, in the state's order, then those of round logs without a round (found in their events)."""
    ids = [str(doc["id"]) for doc in _docs(state, "rounds")]
    known = {_SAFE.sub("_", i) for i in ids}
    for path in sorted((data_dir / "rounds").glob("*.jsonl")):
        if path.stem not in known:
            events = EventLog(path).read()
            found = (e.get("report", e.get("entry", e.get("resolution", {}))).get("round_id") for e in events)
            ids.append(next((str(f) for f in found if f), path.stem))
    return ids


def _docs(state: dict[str, Any], table: str) -> list[codec.Doc]:
    found = state.get(table) or {}
    return [dict(doc) for _, doc in sorted(found.items(), key=lambda kv: int(kv[0]))]


def read_files(data_dir: Path) -> Dump:
    """Everything a data folder holds (the bot stopped), as rows."""
    state = stored_state(data_dir)
    dump: Dump = {table: [({}, doc) for doc in _docs(state, table)] for table in STATE_TABLES}
    dump["audit"] = [({"log": None}, doc) for doc in _docs(state, "journal")]
    for name in ("reports", "steps", "escalated", "resolutions"):
        dump[name] = []
    handled = HandledUpdates(data_dir / "updates.jsonl").ids()
    logs = RoundFiles(data_dir / "rounds", deferred=True)
    for round_id in _round_ids(data_dir, state):
        _read_round(round_id, logs.get(round_id), dump)
        handled |= logs.get(round_id).handled
    dump["handled_updates"] = [({}, {"update_id": n}) for n in sorted(handled)]
    return dump


def _read_round(round_id: str, folded: RoundFile, dump: Dump) -> None:
    at = {"round_id": round_id}
    dump["reports"] += [(at, codec.report_doc(r)) for r in folded.reports.values()]
    dump["audit"] += [({"log": round_id}, codec.audit_doc(a)) for a in folded.audit]
    dump["resolutions"] += [({}, codec.resolution_doc(r)) for r in folded.resolutions]
    steps: dict[str, codec.Doc] = {}
    for event in folded.log.read():
        if event["kind"] == "step":
            steps.setdefault(event["key"], {"round_id": round_id, "key": event["key"], "at": event["at"]})
    dump["steps"] += [({}, doc) for doc in steps.values()]
    dump["escalated"] += [
        ({}, {"round_id": round_id, "measure": m, "respondent": r, "at": codec.when(when)})
        for (m, r), when in folded.escalated.items()
    ]


def write_files(data_dir: Path, dump: Dump) -> None:
    """Rows into an empty data folder: state.json, a log per round, the updates handled."""
    state: dict[str, dict[str, codec.Doc]] = {}
    for table in STATE_TABLES:
        state[table] = {str(i): doc for i, (_, doc) in enumerate(dump.get(table, []), start=1)}
    journal = [doc for given, doc in dump.get("audit", []) if given.get("log") is None]
    state["journal"] = {str(i): doc for i, doc in enumerate(journal, start=1)}
    data_dir.mkdir(parents=True, exist_ok=True)
    logs: dict[str, list[codec.Doc]] = {}
    for given, doc in dump.get("reports", []):
        logs.setdefault(str(given["round_id"]), []).append({"kind": "report", "report": doc})
    for given, doc in dump.get("audit", []):
        if given.get("log") is not None:
            logs.setdefault(str(given["log"]), []).append({"kind": "audit", "entry": doc})
    for _, doc in dump.get("resolutions", []):
        logs.setdefault(str(doc["round_id"]), []).append({"kind": "resolution", "resolution": doc})
    for _, doc in dump.get("steps", []):  # the keys carried out; the items escalated follow, each with its moment
        logs.setdefault(str(doc["round_id"]), []).append(
            {"kind": "step", "key": doc["key"], "items": [], "at": doc["at"]}
        )
    for _, doc in dump.get("escalated", []):
        item = [[doc["measure"], doc["respondent"]]]
        step = {"kind": "step", "key": f"escalate:{doc['respondent']}", "items": item, "at": doc["at"]}
        logs.setdefault(str(doc["round_id"]), []).append(step)
    for round_id, events in logs.items():
        EventLog(data_dir / "rounds" / f"{_SAFE.sub('_', round_id)}.jsonl").append(events)
    handled = HandledUpdates(data_dir / "updates.jsonl")
    for _, doc in dump.get("handled_updates", []):
        handled.add(int(doc["update_id"]))
    handled.flush()
    write_atomically(data_dir / "state.json", orjson.dumps(state))


def has_data(data_dir: Path) -> bool:
    return (data_dir / "state.json").exists() or any((data_dir / "rounds").glob("*.jsonl"))
