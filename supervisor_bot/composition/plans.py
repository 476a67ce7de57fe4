"""The plans of a `[[plans]]` deployment in its data folder: each plan's stored snapshot under `plans/<key>/`,
a retired plan marked there, and the upgrade of a one-plan folder — its records adopted by the plan whose file is
the plan it was made under, nothing rewritten in the rounds' logs and nothing lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson

from storage.atomic_storage import write_atomically
from storage.plan_snapshot import FILE, read_stored_plan
from supervisor_bot.composition.deployment import active
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.plan_diff import fingerprint, plan_measures
from supervisor_bot.ports.store import Store
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.plans import MOVING
from supervisor_bot.settings.settings import Settings

RETIRED = "retired.json"


def plan_folder(data_dir: Path, key: str) -> Path:
    """Where a plan's snapshot (and the plans it replaced) are kept: the data folder itself for the one plan of a
    `[plan]` deployment, `plans/<key>/` for each of `[[plans]]`."""
    return data_dir / "plans" / key if key else data_dir


def retired(data_dir: Path, key: str) -> bool:
    return bool(key) and (plan_folder(data_dir, key) / RETIRED).exists()


def retire(data_dir: Path, key: str, at: dt.datetime) -> None:
    """`plan retire KEY`: no more rounds for the plan; its history stays and is shown."""
    folder = plan_folder(data_dir, key)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / RETIRED, orjson.dumps({"key": key, "at": at.isoformat()}))


def adopter(settings: Settings, matrices: dict[str, Matrix], store: Store) -> str | None:
    """The plan that adopts a one-plan folder's records: the one made under the plan stored with them (or, with
    no plan stored, the first). None when there is nothing to adopt; ConfigError when no plan fits."""
    owner = legacy_owner(settings, matrices)
    if owner is None and any(not r.plan for r in store.rounds()):
        return settings.plans[0].key
    return owner


def legacy_owner(settings: Settings, matrices: dict[str, Matrix]) -> str | None:
    """The plan of `[[plans]]` made under the plan a one-plan folder stored (None: no such folder)."""
    legacy = read_stored_plan(settings.data_dir)
    if legacy is None:
        return None
    for key, matrix in matrices.items():
        if fingerprint(plan_measures(matrix)) == legacy.fingerprint:
            return key
    raise ConfigError(
        settings.source,
        "plans",
        f"数据目录 {settings.data_dir} 中是单一方案（{legacy.source}，{len(legacy.measures)}项措施）的数据，"
        "但 [[plans]] 中没有一项的方案文件与它一致。" + MOVING,
    )


def upgrade(
    settings: Settings, matrices: dict[str, Matrix], store: Store, now: dt.datetime, locked: bool = False
) -> str | None:
    """A one-plan folder under `[[plans]]` settings: its records get the adopting plan's key (one write of
    state.json), its stored plan moves to that plan's folder (the original kept in `plans/`) — never under a
    running bot (`locked`: the caller holds the folder's lock; else it is taken, and a running bot refuses it).
    Run again after a crash it finishes the job. Returns the key that adopted, if any."""
    key = adopter(settings, matrices, store)
    if key is None:
        return None
    if not locked:
        with active(settings):  # the data folder's lock, or the database's
            _adopt(settings, store, key, now)
    else:
        _adopt(settings, store, key, now)
    return key


def _adopt(settings: Settings, store: Store, key: str, now: dt.datetime) -> None:
    store.adopt(key)
    store.flush()
    legacy = settings.data_dir / FILE
    if legacy.exists():
        folder = plan_folder(settings.data_dir, key)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / FILE, legacy.read_bytes())
        write_atomically(
            settings.data_dir / "plans" / f"plan-{now:%Y%m%dT%H%M%S}-before-plans.json", legacy.read_bytes()
        )
        legacy.unlink()
