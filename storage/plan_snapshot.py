"""The plan the stored data was made under: `plan.json` in the data folder (its measures and their fingerprint),
written when a data folder is first used and when `plan update` applies a revision — the plan it replaces is
kept under `plans/` beside it, so that what old numbers meant can always be read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import orjson

from storage.atomic_storage import StorageCorrupted, write_atomically
from supervisor_bot.core.plan_diff import PlanMeasure, fingerprint

FILE = "plan.json"


@dataclass(frozen=True)
class StoredPlan:
    fingerprint: str
    source: str  # the file it was imported from
    measures: tuple[PlanMeasure, ...]


def read_stored_plan(data_dir: Path) -> StoredPlan | None:
    path = data_dir / FILE
    try:
        doc = orjson.loads(path.read_bytes())
        measures = tuple(
            PlanMeasure(
                int(m["number"]), str(m["label"]), str(m["text"]), tuple((str(u), str(r)) for u, r in m["units"])
            )
            for m in doc["measures"]
        )
    except FileNotFoundError:
        return None
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise StorageCorrupted(f"数据文件 {path} 已损坏：无法读取已存方案") from None
    return StoredPlan(str(doc["fingerprint"]), str(doc.get("source", "")), measures)


def write_stored_plan(data_dir: Path, measures: tuple[PlanMeasure, ...], source: Path, at: dt.datetime) -> StoredPlan:
    path = data_dir / FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    if path.exists():  # the plan replaced, kept
        archive = data_dir / "plans"
        archive.mkdir(exist_ok=True)
        write_atomically(archive / f"plan-{at:%Y%m%dT%H%M%S}.json", path.read_bytes())
    stored = StoredPlan(fingerprint(measures), str(source), measures)
    doc = {
        "fingerprint": stored.fingerprint,
        "source": stored.source,
        "at": at.isoformat(),
        "measures": [{"number": m.number, "label": m.label, "text": m.text, "units": m.units} for m in measures],
    }
    write_atomically(path, orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return stored
